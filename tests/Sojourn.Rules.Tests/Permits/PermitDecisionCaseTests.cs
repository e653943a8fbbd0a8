using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Sojourn.Rules.Permits;
using Sojourn.Rules.Tests.Policies;
using YamlDotNet.RepresentationModel;

namespace Sojourn.Rules.Tests.Permits;

/// <summary>
/// Runs <c>Permits/permit-decisions.tests.yaml</c>: each case takes the terms in force for a division on a day, a
/// permit's facts and the day of the step, calls one <see cref="PermitDecisions"/> function and compares its
/// <c>expect</c> as a subset of the answer (camelCase JSON). No database, no host, as the policies' own cases.
/// </summary>
public sealed class PermitDecisionCaseTests
{
    private static readonly string File = Path.Combine(AppContext.BaseDirectory, "Permits", "permit-decisions.tests.yaml");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        var cases = Load();
        for (var i = 0; i < cases.Count; i++)
        {
            data.Add(i, Scalar(cases[i], "name") ?? $"#{i}");
        }

        return data;
    }

    [Fact]
    public void Cases_CoverEveryDecision()
    {
        var decisions = Load().Select(c => Scalar(c, "decision")).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(decisions, new HashSet<string?>(["step", "issue", "endorse", "lapse", "expire", "departure", "return-by", "renewal", "old-card", "cancel-after-settling", "cancel-after-death"]));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decide_Case_MatchesExpected(int index, string name)
    {
        var node = Load()[index];
        var decision = Scalar(node, "decision")!;
        var division = Scalar(node, "division") ?? "140105";
        var today = Day(Scalar(node, "today")!);
        var on = Scalar(node, "on") is { } o ? Day(o) : today;
        var lifecycle = PermitLifecycle.Default;
        var terms = lifecycle.Terms(division, on);
        var permit = Facts(node, division);

        object? actual = decision switch
        {
            "step" => new { open = PermitDecisions.StepOpen(Scalar(node, "step")!, permit.Status) },
            "issue" => PermitDecisions.Issue(lifecycle, terms!, permit, today),
            "endorse" => PermitDecisions.Endorse(lifecycle, terms!, permit, today),
            "lapse" => PermitDecisions.MissedEndorsement(terms!, permit, today),
            "expire" => PermitDecisions.Expiry(terms, permit, today, terms?.PolicyId ?? ""),
            "departure" => PermitDecisions.Departure(lifecycle, terms!, division, permit.LeftOn!.Value, today),
            "return-by" => new { returnBy = PermitDecisions.ReturnBy(lifecycle, terms!, division, permit.LeftOn!.Value) },
            "renewal" => PermitDecisions.Renewal(lifecycle, terms!, permit, permit.ValidUntil!.Value, today),
            "old-card" => PermitDecisions.OldCardRequired(terms!, Scalar(node, "kind")!),
            "cancel-after-settling" => FollowUp(PermitCancellation.AfterSettling(lifecycle, terms!, division, Day(Scalar(node, "eventOn")!)), today),
            "cancel-after-death" => FollowUp(PermitCancellation.AfterDeath(lifecycle, terms!, division, Day(Scalar(node, "eventOn")!)), today),
            _ => throw new InvalidOperationException("unknown decision " + decision),
        };

        var got = actual is null ? null : JsonSerializer.SerializeToNode(actual, actual.GetType(), Json);
        var want = node.Children.TryGetValue(new YamlScalarNode("expect"), out var e) ? YamlJson.Convert(e) : null;
        var diffs = new List<string>();
        Compare(want, got, "", diffs);
        Assert.True(diffs.Count == 0, $"#{index} {name}:\n{string.Join("\n", diffs)}\nactual: {got?.ToJsonString() ?? "null"}");
    }

    // The station's follow-up of a settled or dead holder (null: the policy is silent) and whether the sweep opens it today.
    private static object? FollowUp(CancellationFollowUp? f, DateOnly today) =>
        f is null ? null : new { due = f.Due, basis = f.Basis, noPeriod = f.NoPeriod, opens = PermitCancellation.Overdue(f, today) };

    private static void Compare(JsonNode? want, JsonNode? got, string path, List<string> diffs)
    {
        if (want is JsonObject wo)
        {
            if (got is not JsonObject go)
            {
                diffs.Add($"{path}: want object, got {got?.ToJsonString() ?? "null"}");
                return;
            }

            foreach (var (k, v) in wo)
            {
                Compare(v, go.TryGetPropertyValue(k, out var g) ? g : null, path + "." + k, diffs);
            }

            return;
        }

        var w = want?.ToJsonString();
        var a = got?.ToJsonString();
        if (!string.Equals(w, a, StringComparison.Ordinal))
        {
            diffs.Add($"{path}: want {w ?? "null"}, got {a ?? "null"}");
        }
    }

    private static PermitFacts Facts(YamlMappingNode node, string division)
    {
        var obj = node.Children.TryGetValue(new YamlScalarNode("permit"), out var p) ? YamlJson.Convert(p)!.AsObject() : [];
        obj["residenceDivision"] ??= division;
        obj["status"] ??= "valid";
        return obj.Deserialize<PermitFacts>(Json)!;
    }

    private static List<YamlMappingNode> Load()
    {
        using var reader = new StreamReader(File);
        var yaml = new YamlStream();
        yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        return ((YamlSequenceNode)root.Children[new YamlScalarNode("cases")]).Children.Cast<YamlMappingNode>().ToList();
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? ((YamlScalarNode)v).Value : null;

    private static DateOnly Day(string s) => DateOnly.Parse(s, CultureInfo.InvariantCulture);
}
