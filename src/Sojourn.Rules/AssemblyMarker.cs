namespace Sojourn.Rules;
/// <summary>Marks the assembly for scanning and architecture tests.</summary>
public static class AssemblyMarker;
