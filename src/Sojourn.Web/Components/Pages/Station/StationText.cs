using System.Globalization;
using Microsoft.JSInterop;
using Sojourn.Rules.Evaluation;
using Sojourn.Rules.Periods;

namespace Sojourn.Web.Components.Pages.Station;

/// <summary>The police-station workbench's text (StationText.resx zh-CN, StationText.en.resx English).</summary>
internal sealed class StationText;

/// <summary>A legal deadline and the article that sets it.</summary>
internal sealed record LegalDeadline(DateOnly Due, string Basis);

/// <summary>
/// The deadlines and citations the station pages show, read from the policies (law as data): the registration
/// period is the duty <c>person.register-residence</c> of the policy in force for the residence on the day of arrival.
/// </summary>
internal static class StationLaw
{
    private const string RegisterResidence = "person.register-residence";
    private const string IssuePermit = "station.issue-permit";

    private static bool English => Infrastructure.Formats.English;

    /// <summary>The last day of the registration period for an arrival, or null where no policy sets one.</summary>
    public static LegalDeadline? Registration(string division, DateOnly arrivedOn)
    {
        var policy = PolicyCatalog.Default.Resolve(null, division, arrivedOn);
        var duty = policy?.Duties.FirstOrDefault(d => d.Rule.Id == RegisterResidence);
        if (duty?.Rule.Period is not { } period)
        {
            return null;
        }

        return new LegalDeadline(PeriodMath.End(arrivedOn, period, PolicyCatalog.Default.Calendar.For(division)), duty.Basis);
    }

    /// <summary>A division as a reader knows it: 山西省太原市小店区 (the code when the table does not have it).</summary>
    public static string Division(string? code) => Infrastructure.CodedText.Division(code);

    /// <summary>The article that sets a permit's issuance period (the duty <c>station.issue-permit</c> of its policy), or the policy.</summary>
    public static string IssueBasis(string policyId, string division, DateOnly appliedOn) =>
        PolicyCatalog.Default.Resolve(policyId, division, appliedOn)?.Duties.FirstOrDefault(d => d.Rule.Id == IssuePermit)?.Basis ?? policyId;

    /// <summary><c>shanxi-2017#9</c> as a reader cites it: 《山西省流动人口服务管理条例》第9条; several joined by 、.</summary>
    public static string Cite(string? basis)
    {
        if (string.IsNullOrWhiteSpace(basis))
        {
            return "—";
        }

        return string.Join(English ? "; " : "、", basis.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(one =>
        {
            var hash = one.IndexOf('#', StringComparison.Ordinal);
            var id = hash < 0 ? one : one[..hash];
            var title = PolicyCatalog.Default.Find(id)?.Title ?? id;
            if (hash < 0)
            {
                return English ? title : "《" + title + "》";
            }

            var article = one[(hash + 1)..];
            return English ? $"{title} art. {article}" : $"《{title}》第{article}条";
        }));
    }

    /// <summary>How overdue a deadline is, for ordering and colour: negative days left means overdue.</summary>
    public static int DaysLeft(DateOnly due, DateOnly today) => due.DayNumber - today.DayNumber;
}

/// <summary>
/// Downloads an API document (a PDF) with the page's stated purpose in X-Sojourn-Purpose, which a plain link cannot
/// send; the sign-in cookie authenticates the request. Returns the HTTP status (200 when the file was saved).
/// </summary>
internal static class StationDownloads
{
    public static async Task<int> DownloadAsync(Microsoft.JSInterop.IJSRuntime js, Infrastructure.PurposeState purpose, string url, string fileName)
    {
        ArgumentNullException.ThrowIfNull(js);
        ArgumentNullException.ThrowIfNull(purpose);
        var header = purpose.Current is not { } p ? "" : p.Note is null ? p.Code : p.Code + "; note=" + Uri.EscapeDataString(p.Note);
        return await js.InvokeAsync<int>("sojourn.stationDownload", url, header, fileName);
    }
}

/// <summary>Inline styles of the station pages (the area has no stylesheet of its own).</summary>
internal static class StationStyle
{
    /// <summary>
    /// A table's wrapper: scrolls sideways on a phone.
    /// </summary>
    public const string Table = "overflow-x:auto";
}
