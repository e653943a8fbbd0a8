using Microsoft.Extensions.Localization;

namespace Sojourn.Web.Components.Infrastructure;

/// <summary>How pages name a stored code (a status, a kind): the area's text for <c>prefix + code</c>, else the code itself.</summary>
public static class CodedText
{
    public static string Coded(this IStringLocalizer localizer, string prefix, string? code)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        if (code is null)
        {
            return "—";
        }

        var text = localizer[prefix + code];
        return text.ResourceNotFound ? code : text.Value;
    }
}
