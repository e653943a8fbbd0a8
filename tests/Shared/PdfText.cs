using UglyToad.PdfPig;

namespace Sojourn.TestSupport;

/// <summary>
/// Reads a PDF's text back through its ToUnicode maps (PdfPig), in process: document tests need no
/// poppler. A character drawn with a face that lacks it has no mapping and is missing here.
/// </summary>
public static class PdfText
{
    /// <summary>All pages' text, spaces and line breaks removed (layout is not what is checked).</summary>
    public static string Read(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Concat(document.GetPages().Select(p => p.Text))
            .Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
    }
}
