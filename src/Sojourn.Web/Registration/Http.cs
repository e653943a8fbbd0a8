using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace Sojourn.Web.Registration;

/// <summary>HTTP conventions of the registration API: actor header, ETag/If-Match.</summary>
public static class Http
{
    /// <summary>
    /// Who is using the API (until sign-in arrives in the access-control issue): an ASCII id such as
    /// <c>officer:140105-0012</c> or <c>collector:c-0031</c>. Recorded with every version.
    /// </summary>
    public const string ActorHeader = "X-Sojourn-Actor";

    public static string Actor(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var value = http.Request.Headers[ActorHeader].ToString().Trim();
        return value.Length == 0 ? "anonymous" : value.Length > 100 ? value[..100] : value;
    }

    public static string ETag(int version) => string.Create(CultureInfo.InvariantCulture, $"\"{version}\"");

    public static void SetETag(HttpContext http, int version)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.ETag = ETag(version);
    }

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
