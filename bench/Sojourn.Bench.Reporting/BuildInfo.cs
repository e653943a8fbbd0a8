// The shared WebAppProcess (linked from the registration bench) finds the built app through BuildInfo in this namespace.
namespace Sojourn.Bench.Registration;

/// <summary>Where this benchmark was built from (assembly metadata written by the project file).</summary>
internal static class BuildInfo
{
    private static readonly System.Reflection.AssemblyMetadataAttribute[] Metadata =
        [.. System.Reflection.CustomAttributeExtensions.GetCustomAttributes<System.Reflection.AssemblyMetadataAttribute>(typeof(BuildInfo).Assembly)];

    public static string RepoRoot => Metadata.First(a => a.Key == "Sojourn.RepoRoot").Value!;

    public static string Configuration => Metadata.First(a => a.Key == "Sojourn.Configuration").Value!;
}
