namespace Sojourn.Data;

/// <summary>Marks the assembly for scanning and architecture tests.</summary>
internal static class AssemblyMarker;
