using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace Sojourn.Web.Http;

/// <summary>The HTTP conventions every versioned resource shares: the ETag it answers with, If-Match on updates.</summary>
internal static class EntityTags
{
    public static string ETag(int version) => string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    public static void SetETag(HttpContext http, int version)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.ETag = ETag(version);
    }

    /// <summary>The problems every versioned update can answer: bad input, no such record, stale version, no version.</summary>
    public static RouteHandlerBuilder ProducesUpdateProblems(this RouteHandlerBuilder endpoint) =>
        endpoint.ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);

    /// <summary>The version the client read: <c>If-Match</c> (strong or weak ETag) wins over the body's <c>version</c>.</summary>
    public static int? ExpectedVersion(HttpContext http, int? bodyVersion)
    {
        ArgumentNullException.ThrowIfNull(http);
        var header = http.Request.Headers.IfMatch.ToString();
        if (header.Length > 0 && EntityTagHeaderValue.TryParse(header, out var tag))
        {
            var text = tag.Tag.ToString().Trim('"');
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;
        }

        return bodyVersion;
    }
}
