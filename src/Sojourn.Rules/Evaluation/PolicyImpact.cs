using System.Text.Json;

namespace Sojourn.Rules.Evaluation;

/// <summary>
/// Evaluates the same cases under two policies and counts what changes: floating status, permit
/// eligibility, due dates and sanctions (<c>sojourn policy impact</c>).
/// </summary>
public sealed class PolicyImpact
{
    private static readonly string[] Aspects = ["floating", "permitEligibility", "duties", "dueDates", "sanctions"];
    private readonly Dictionary<string, int> _counts = Aspects.ToDictionary(a => a, _ => 0, StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _examples = Aspects.ToDictionary(a => a, _ => new List<string>(), StringComparer.Ordinal);

    private PolicyImpact(string from, string to)
    {
        From = from;
        To = to;
    }

    /// <summary>Old policy id.</summary>
    public string From { get; }

    /// <summary>New policy id.</summary>
    public string To { get; }

    /// <summary>Cases evaluated under both.</summary>
    public int Evaluated { get; private set; }

    /// <summary>Cases rejected (bad input or unknown policy).</summary>
    public int Rejected { get; private set; }

    /// <summary>Cases with at least one change.</summary>
    public int Changed { get; private set; }

    /// <summary>Count of cases changed per aspect.</summary>
    public IReadOnlyDictionary<string, int> Counts => _counts;

    /// <summary>Runs the comparison over a JSON array of cases (or one case).</summary>
    public static PolicyImpact Run(Evaluator evaluator, TimeProvider time, string from, string to, JsonElement cases, int examples)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        var impact = new PolicyImpact(from, to);
        var parser = new CaseParser(time, evaluator.Catalog.Divisions);
        var items = cases.ValueKind == JsonValueKind.Array ? cases.EnumerateArray().ToList() : [cases];
        for (var i = 0; i < items.Count; i++)
        {
            var c = parser.Parse(items[i], out _);
            if (c is null || evaluator.Catalog.Find(from) is null || evaluator.Catalog.Find(to) is null)
            {
                impact.Rejected++;
                continue;
            }

            c.Policy = from;
            var a = evaluator.Evaluate(c, evaluator.Resolve(c)!);
            c.Policy = to;
            var b = evaluator.Evaluate(c, evaluator.Resolve(c)!);
            impact.Evaluated++;
            var changed = false;
            changed |= impact.Note("floating", i, a.Floating.Value != b.Floating.Value, $"{Bool(a.Floating.Value)} → {Bool(b.Floating.Value)}", examples);
            changed |= impact.Note("permitEligibility", i, a.Permit?.Eligible != b.Permit?.Eligible, $"{Bool(a.Permit?.Eligible)} → {Bool(b.Permit?.Eligible)}", examples);
            var ia = string.Join(", ", a.Duties.Select(d => d.Duty.Rule.Id));
            var ib = string.Join(", ", b.Duties.Select(d => d.Duty.Rule.Id));
            changed |= impact.Note("duties", i, ia != ib, $"[{ia}] → [{ib}]", examples);

            // Due dates of the duties both policies impose; sanctions by what they do, not by article.
            var dueA = a.Duties.ToDictionary(d => d.Duty.Rule.Id, d => d.Due);
            var moved = b.Duties.Where(d => dueA.TryGetValue(d.Duty.Rule.Id, out var due) && due != d.Due)
                .Select(d => $"{d.Duty.Rule.Id} {dueA[d.Duty.Rule.Id]} → {d.Due}").ToList();
            changed |= impact.Note("dueDates", i, moved.Count > 0, string.Join("; ", moved), examples);
            var pa = string.Join("; ", a.Penalties.Select(Penalty));
            var pb = string.Join("; ", b.Penalties.Select(Penalty));
            changed |= impact.Note("sanctions", i, pa != pb, $"[{pa}] → [{pb}]", examples);
            if (changed)
            {
                impact.Changed++;
            }
        }

        return impact;
    }

    private static string Penalty(PenaltyResult p) =>
        $"{p.Duty}: {(p.OrderToCorrect ? "责令改正 " : "")}{Range(p.Fine)}{(p.SeriousFine is null ? "" : $" 情节严重 {Range(p.SeriousFine)}")}{(p.FineOnlyIfUncorrected ? " 逾期不改正才罚" : "")}";

    private static string Range(Loading.FineRange? f) => f is null ? "无罚款" : $"{f.MinYuan}–{f.MaxYuan}元";

    private static string Bool(bool? b) => b switch { true => "true", false => "false", null => "null" };

    private bool Note(string aspect, int index, bool differs, string detail, int examples)
    {
        if (!differs)
        {
            return false;
        }

        _counts[aspect]++;
        if (_examples[aspect].Count < examples)
        {
            _examples[aspect].Add($"#{index}: {detail}");
        }

        return true;
    }

    /// <summary>Writes the report as JSON.</summary>
    public void Write(Utf8JsonWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        w.WriteStartObject();
        w.WriteString("from", From);
        w.WriteString("to", To);
        w.WriteNumber("evaluated", Evaluated);
        w.WriteNumber("rejected", Rejected);
        w.WriteNumber("changed", Changed);
        w.WriteStartObject("changes");
        foreach (var a in Aspects)
        {
            w.WriteStartObject(a);
            w.WriteNumber("cases", _counts[a]);
            w.WriteStartArray("examples");
            foreach (var e in _examples[a])
            {
                w.WriteStringValue(e);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }
}
