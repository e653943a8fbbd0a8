namespace Sojourn.Web.Hosting;

/// <summary>Finds the repository root (the folder holding Sojourn.slnx) so local runs share ./data/.</summary>
internal static class RepoPaths
{
    public static string FindRoot(string contentRoot)
    {
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sojourn.slnx")))
            {
                return dir.FullName;
            }
        }

        return contentRoot;
    }

    /// <summary>Default SQLite file: data/sojourn.db under the repository root.</summary>
    public static string DefaultSqlitePath(string contentRoot) =>
        Path.Combine(FindRoot(contentRoot), "data", "sojourn.db");
}
