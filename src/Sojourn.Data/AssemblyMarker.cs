namespace Sojourn.Data;

/// <summary>Marks the assembly for scanning and architecture tests.</summary>
public static class AssemblyMarker;
