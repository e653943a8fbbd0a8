using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Sojourn.Web.Registration;

/// <summary>HTTP conventions of the registration API: the acting account, ETag/If-Match.</summary>
public static class Http
{
    /// <summary>
    /// Who entered the data: the signed-in account as <c>role:userName</c> (e.g. <c>officer:demo-officer</c>).
    /// Recorded with every version.
    /// </summary>
    public static string Actor(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.User.Identity?.IsAuthenticated != true)
        {
            return "anonymous";
        }

        var value = $"{Access.SojournClaims.Role(http.User)}:{http.User.Identity.Name}";
        return value.Length > 100 ? value[..100] : value;
    }

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

    /// <summary>Sends the new version as the ETag when an update succeeded, so the client can write again.</summary>
    public static Results<Ok<RegistrationDto>, ProblemHttpResult> WithETag(
        HttpContext http, Results<Ok<RegistrationDto>, ProblemHttpResult> result)
    {
        if (result.Result is Ok<RegistrationDto> ok)
        {
            SetETag(http, ok.Value!.Version);
        }

        return result;
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
