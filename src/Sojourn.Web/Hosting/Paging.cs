namespace Sojourn.Web.Hosting;

/// <summary>Row offsets for page numbers, computed without overflow.</summary>
internal static class Paging
{
    /// <summary>
    /// Rows before page <paramref name="page"/> (1-based). Computed in 64 bits and capped, so that a huge page
    /// number (2147483647) is an empty page past the end, never a negative offset that wraps to the first page.
    /// </summary>
    public static int Skip(int page, int size) =>
        (int)Math.Clamp(((long)Math.Max(page, 1) - 1) * Math.Max(size, 0), 0, int.MaxValue);
}
