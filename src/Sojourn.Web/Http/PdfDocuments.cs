using Microsoft.AspNetCore.Http.HttpResults;
using Sojourn.Documents;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Http;

/// <summary>
/// The renderer, made once with the bundled fonts (CjkFont.Bundled), behind an optional override
/// (Sojourn:Documents:FontPath or SOJOURN_PDF_FONT). Only a configured file that cannot be read
/// makes documents 503 (logged once); the rest of the app keeps working.
/// </summary>
internal sealed class PdfRendererHolder(IConfiguration configuration, ILogger<PdfRendererHolder> logger)
{
    private readonly Lazy<PdfRenderer?> _renderer = new(() =>
    {
        try
        {
            return new PdfRenderer(CjkFont.Locate([configuration["Sojourn:Documents:FontPath"]]));
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidOperationException or IOException)
        {
            logger.LogError("PDF fonts unusable: {Reason}", e.Message);
            return null;
        }
    });

    public PdfRenderer? Renderer => _renderer.Value;
}

/// <summary>Official documents as PDF answers, for every module that prints one.</summary>
internal static class PdfAnswers
{
    /// <summary>The document as a PDF download, or 503 (<see cref="ErrorCode.DocumentUnavailable"/>) when the fonts are unusable.</summary>
    public static Results<FileContentHttpResult, ProblemHttpResult> Render(this PdfRendererHolder holder, OfficialDocument document, string fileName)
    {
        ArgumentNullException.ThrowIfNull(holder);
        ArgumentNullException.ThrowIfNull(document);
        if (holder.Renderer is not { } renderer)
        {
            return ApiProblems.Result(ErrorCode.DocumentUnavailable, Messages.Get("Error_DocumentUnavailable_Detail"));
        }

        byte[] bytes;
        try
        {
            bytes = renderer.Render(document);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException && document.Photo is not null)
        {
            // A photo format the PDF library cannot embed (e.g. a 1-bit PNG) must not stop the document.
            bytes = renderer.Render(document with { Photo = null });
        }

        return TypedResults.File(bytes, "application/pdf", fileName);
    }
}
