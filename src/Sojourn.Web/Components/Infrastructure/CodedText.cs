using Microsoft.Extensions.Localization;
using Sojourn.Application.Registrations;

namespace Sojourn.Web.Components.Infrastructure;

/// <summary>How pages name a stored code (a status, a kind, a division): never the raw code where a name exists.</summary>
internal static class CodedText
{
    /// <summary>The area's text for <c>prefix + code</c>, else the code itself.</summary>
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

    /// <summary>A GB/T 2260 division as a reader knows it: 山西省太原市小店区 (the code when the table does not have it).</summary>
    public static string Division(string? code) => Sojourn.Rules.Divisions.DivisionTable.Default.Find(code)?.FullName ?? code ?? "—";

    /// <summary>A code of a national table with the name the answer carries: 汉族（01）; the code alone when unnamed.</summary>
    public static string Named(CodeName? value) => value is null ? "—" : value.Name is null ? value.Code : $"{value.Name}（{value.Code}）";
}
