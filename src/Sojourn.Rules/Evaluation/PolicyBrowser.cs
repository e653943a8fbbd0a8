using Sojourn.Rules.Divisions;
using Sojourn.Rules.Loading;

namespace Sojourn.Rules.Evaluation;

/// <summary>A policy as a list shows it: id, title, region (names of its territory), in force from/to, parent.</summary>
public sealed record PolicySummary(
    string Id, string Title, string Authority, string? DocumentNumber, string Region, IReadOnlyList<string> Territory,
    DateOnly InForceFrom, DateOnly? InForceUntil, string? Parent, string Hash);

/// <summary>One policy with every value of its chain (inherited ones included) and the article of each.</summary>
public sealed record PolicyView(
    PolicySummary Policy, IReadOnlyList<string> Chain, IReadOnlyList<PolicyRow> Rows, IReadOnlyList<Decision> Decisions,
    IReadOnlyDictionary<string, string> Citations);

/// <summary>How a value differs between two policies.</summary>
public enum DifferenceKind
{
    /// <summary>Both say something, not the same.</summary>
    Changed,

    /// <summary>Only the second policy says it.</summary>
    Added,

    /// <summary>Only the first policy says it.</summary>
    Removed,
}

/// <summary>A value that differs, with the row (value and article) of each side; null where a side is silent.</summary>
public sealed record PolicyDifference(string Key, string Label, DifferenceKind Kind, PolicyRow? A, PolicyRow? B);

/// <summary>Two policies compared value by value (with inherited values), as <c>sojourn policy diff</c> and the policy pages show it.</summary>
public sealed record PolicyComparison(
    PolicySummary A, PolicySummary B, IReadOnlyList<PolicyDifference> Differences, IReadOnlyDictionary<string, string> Citations);

/// <summary>
/// The read side of the policy catalogue for people: the list, one policy's values and two policies compared. The CLI
/// and the web pages use this one copy; nothing here reads a person's data.
/// </summary>
public sealed class PolicyBrowser(PolicyCatalog catalog)
{
    /// <summary>The embedded catalogue.</summary>
    public static PolicyBrowser Default { get; } = new(PolicyCatalog.Default);

    /// <summary>Every policy, by region and then by date in force.</summary>
    public IReadOnlyList<PolicySummary> List() =>
        [.. catalog.Policies.Select(Summary).OrderBy(p => p.Territory.Count == 0 ? "" : p.Territory[0], StringComparer.Ordinal)
            .ThenBy(p => p.InForceFrom)];

    /// <summary>One policy with its values, or null for an unknown id.</summary>
    public PolicyView? Show(string id)
    {
        if (catalog.Find(id) is not { } doc)
        {
            return null;
        }

        var compiled = catalog.Compile(doc.Id);
        var rows = PolicyTable.Rows(compiled);
        return new PolicyView(Summary(doc), compiled.Ids, rows, doc.Decisions, Citations(rows.Select(r => r.Basis)));
    }

    /// <summary>The values that differ between <paramref name="a"/> and <paramref name="b"/>, or null when either id is unknown.</summary>
    public PolicyComparison? Diff(string a, string b)
    {
        if (catalog.Find(a) is not { } da || catalog.Find(b) is not { } db)
        {
            return null;
        }

        var ra = PolicyTable.Rows(catalog.Compile(da.Id));
        var rb = PolicyTable.Rows(catalog.Compile(db.Id));
        var byKeyA = ra.ToDictionary(x => x.Key, StringComparer.Ordinal);
        var byKeyB = rb.ToDictionary(x => x.Key, StringComparer.Ordinal);
        // The table's own order (scope, duties, permit, ...), the second policy's new keys after the first's.
        var keys = ra.Select(r => r.Key).Concat(rb.Select(r => r.Key)).Distinct(StringComparer.Ordinal);
        var differences = new List<PolicyDifference>();
        foreach (var key in keys)
        {
            byKeyA.TryGetValue(key, out var x);
            byKeyB.TryGetValue(key, out var y);
            if (x?.Value == y?.Value)
            {
                continue;
            }

            var kind = x is null ? DifferenceKind.Added : y is null ? DifferenceKind.Removed : DifferenceKind.Changed;
            differences.Add(new PolicyDifference(key, (x ?? y)!.Label, kind, x, y));
        }

        return new PolicyComparison(Summary(da), Summary(db), differences,
            Citations(differences.SelectMany(d => new[] { d.A?.Basis, d.B?.Basis }).OfType<string>()));
    }

    /// <summary>The region of a policy in words: 全国, or the names of its divisions (山西省).</summary>
    public string Region(PolicyDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        return doc.Nationwide ? "全国" : string.Join("、", doc.Territory.Select(RegionName));
    }

    /// <summary>
    /// A basis as people read it: <c>shanxi-2017#34</c> → 山西省流动人口服务管理办法 第34条; an item-numbered document's
    /// <c>#18</c> → 第18项; an outline path stays as written; a basis without an article names the document only.
    /// </summary>
    public string Cite(string basis)
    {
        ArgumentNullException.ThrowIfNull(basis);
        var hash = basis.IndexOf('#', StringComparison.Ordinal);
        var id = hash < 0 ? basis : basis[..hash];
        if (catalog.Find(id) is not { } doc)
        {
            return basis;
        }

        if (hash < 0)
        {
            return doc.Title;
        }

        var article = basis[(hash + 1)..];
        return doc.Citation switch
        {
            "article" => $"{doc.Title} 第{article}条",
            "item" => $"{doc.Title} 第{article}项",
            _ => $"{doc.Title} {article}",
        };
    }

    /// <summary>Each distinct basis with its citation (<see cref="Cite"/>).</summary>
    public IReadOnlyDictionary<string, string> Citations(IEnumerable<string> bases) =>
        bases.Distinct(StringComparer.Ordinal).ToDictionary(b => b, Cite, StringComparer.Ordinal);

    private PolicySummary Summary(PolicyDocument d) =>
        new(d.Id, d.Title, d.Authority, d.DocumentNumber, Region(d), d.Territory, d.InForceFrom, d.InForceUntil, d.Parent, d.Hash);

    private string RegionName(string prefix)
    {
        var code = prefix.PadRight(6, '0');
        return catalog.Divisions.Find(code) is { } division ? division.FullName : prefix;
    }
}
