using System.Globalization;
using Sojourn.Rules.Evaluation;

namespace Sojourn.Application.Permits;

/// <summary>Citations in the contract form (<c>cn-2016#11</c>) as people read them (《居住证暂行条例》第十一条).</summary>
internal static class PermitCitations
{
    /// <summary><c>shanxi-2017#18,cn-2016#10</c> → (《山西省…》, 第十八条), (《居住证暂行条例》, 第十条).</summary>
    public static IReadOnlyList<(string Instrument, string Article)> Parse(string? basis)
    {
        var list = new List<(string, string)>();
        foreach (var part in (basis ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var hash = part.IndexOf('#', StringComparison.Ordinal);
            var policyId = hash < 0 ? part : part[..hash];
            var article = hash < 0 ? "" : part[(hash + 1)..];
            var title = PolicyCatalog.Default.Find(policyId)?.Title ?? policyId;
            list.Add((title.StartsWith('《') ? title : "《" + title + "》", Article(article)));
        }

        return list;
    }

    /// <summary>A basis in the contract form as people read it: <c>cn-2016#11</c> → 《居住证暂行条例》第十一条.</summary>
    public static string Cite(string? basis) => string.Join("；", Parse(basis).Select(c => c.Instrument + c.Article));

    /// <summary>Comma-separated citations, each once, in order.</summary>
    public static string Bases(params string?[] bases) =>
        string.Join(',', bases.Where(b => !string.IsNullOrEmpty(b))
            .SelectMany(b => b!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal));

    /// <summary>Citations joined in the contract form, without empties or repeats; null when there are none.</summary>
    public static string? Basis(params string?[] citations)
    {
        var list = citations.Where(c => !string.IsNullOrEmpty(c)).SelectMany(c => c!.Split(',')).Distinct(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? null : string.Join(',', list);
    }

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Article(string article)
    {
        if (article.Length == 0 || article.StartsWith('第'))
        {
            return article;
        }

        return int.TryParse(article, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 100
            ? "第" + ChineseNumber(n) + "条"
            : "第" + article + "条";
    }

    private static readonly string[] Digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

    private static string ChineseNumber(int n) => n switch
    {
        < 10 => Digits[n],
        10 => "十",
        < 20 => "十" + Digits[n - 10],
        _ => Digits[n / 10] + "十" + (n % 10 == 0 ? "" : Digits[n % 10]),
    };
}
