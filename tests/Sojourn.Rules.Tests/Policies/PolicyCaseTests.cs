using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sojourn.Rules.Evaluation;
using YamlDotNet.RepresentationModel;

namespace Sojourn.Rules.Tests.Policies;

/// <summary>
/// Runs every <c>Policies/*.tests.yaml</c> beside the policy files: each case's input through the
/// contract entry point, its <c>expect</c> compared as a subset of the answer.
/// </summary>
public sealed class PolicyCaseTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "PolicyTests");

    public static TheoryData<string, int, string> Cases()
    {
        var data = new TheoryData<string, int, string>();
        foreach (var file in Directory.GetFiles(Folder, "*.tests.yaml").Order(StringComparer.Ordinal))
        {
            var cases = Load(file).Cases;
            for (var i = 0; i < cases.Count; i++)
            {
                data.Add(Path.GetFileName(file), i, Name(cases[i]));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_PolicyTestCase_MatchesExpected(string file, int index, string name)
    {
        var (defaultPolicy, cases) = Load(Path.Combine(Folder, file));
        var node = (YamlMappingNode)cases[index];
        var input = YamlJson.Convert(node.Children[new YamlScalarNode("case")])!.AsObject();
        if (defaultPolicy is not null && !input.ContainsKey("policy"))
        {
            input["policy"] = defaultPolicy;
        }

        var expect = YamlJson.Convert(node.Children[new YamlScalarNode("expect")])!.AsObject();
        var exact = node.Children.TryGetValue(new YamlScalarNode("exactDuties"), out var ex) && ((YamlScalarNode)ex).Value == "true";

        var service = new PolicyService(Evaluator.Default, new FixedTime(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.FromHours(8))));
        using var doc = JsonDocument.Parse(input.ToJsonString());
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            service.EvaluateDocument(doc.RootElement, w);
        }

        var actual = JsonNode.Parse(Encoding.UTF8.GetString(ms.ToArray()))!.AsObject();
        var diffs = new List<string>();
        Compare(expect, actual, "", diffs, exact);
        if (node.Children.TryGetValue(new YamlScalarNode("bases"), out var bases))
        {
            CompareBases((YamlMappingNode)bases, input, diffs);
        }
        Assert.True(diffs.Count == 0, $"{file} #{index} {name}:\n{string.Join("\n", diffs)}\nactual: {actual.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })}");
    }

    private static void Compare(JsonNode? want, JsonNode? got, string path, List<string> diffs, bool exactDuties)
    {
        switch (want)
        {
            case JsonObject wo:
                if (got is not JsonObject go)
                {
                    diffs.Add($"{path}: want object, got {got?.ToJsonString() ?? "null"}");
                    return;
                }

                foreach (var (k, v) in wo)
                {
                    if (!go.ContainsKey(k))
                    {
                        diffs.Add($"{path}.{k}: missing");
                    }
                    else
                    {
                        Compare(v, go[k], $"{path}.{k}".TrimStart('.'), diffs, exactDuties);
                    }
                }

                break;
            case JsonArray wa when path is "duties" or "penalties":
                var key = path == "duties" ? "id" : "duty";
                var byKey = (got as JsonArray ?? []).OfType<JsonObject>().GroupBy(o => o[key]?.GetValue<string>() ?? "").ToDictionary(g => g.Key, g => g.First());
                foreach (var w in wa.OfType<JsonObject>())
                {
                    var id = w[key]!.GetValue<string>();
                    if (!byKey.TryGetValue(id, out var g))
                    {
                        diffs.Add($"{path}[{id}]: missing");
                    }
                    else
                    {
                        Compare(w, g, $"{path}[{id}]", diffs, exactDuties);
                    }
                }

                if (exactDuties)
                {
                    var extra = byKey.Keys.Except(wa.OfType<JsonObject>().Select(o => o[key]!.GetValue<string>())).ToList();
                    if (extra.Count > 0)
                    {
                        diffs.Add($"{path}: unexpected {string.Join(", ", extra)}");
                    }
                }

                break;
            default:
                var a = want?.ToJsonString() ?? "null";
                var b = got?.ToJsonString() ?? "null";
                if (a != b)
                {
                    diffs.Add($"{path}: want {a}, got {b}");
                }

                break;
        }
    }

    /// <summary>
    /// <c>bases:</c> on a case: the citation of a policy value the contract's output does not print, resolved for the
    /// case's policy (or division) and asOf, e.g. <c>permit.anyOf: "taizhou-2016#2.2.2"</c> or
    /// <c>lifecycle.crossStationClosesOld: "cn-2016"</c> (a silent value cites the policy alone).
    /// </summary>
    private static void CompareBases(YamlMappingNode bases, JsonObject input, List<string> diffs)
    {
        var policy = (string?)input["policy"];
        var division = (string)input["stay"]!["residenceDivision"]!;
        var asOf = DateOnly.Parse((string)input["asOf"]!, System.Globalization.CultureInfo.InvariantCulture);
        var chain = PolicyCatalog.Default.Resolve(policy, division, asOf) ?? throw new Xunit.Sdk.XunitException("no policy");
        foreach (var (k, v) in bases.Children)
        {
            var key = ((YamlScalarNode)k).Value!;
            var want = ((YamlScalarNode)v).Value;
            var got = key switch
            {
                "permit.residence" => chain.Residence?.Basis,
                "permit.anyOf" => chain.AnyOf?.Basis,
                "permit.waivedBy" => chain.WaivedBy?.Basis,
                "lifecycle.crossStationClosesOld" => global::Sojourn.Rules.Permits.PermitLifecycle.Default.Terms(division, asOf, policy)?.CrossStationClosesOldRegistration.Basis,
                // The row of `policy show`: a silent value cites the policy alone; a key no layer sets has no row.
                "lifecycle.cancelAfterSettling" or "lifecycle.cancelAfterDeath" or "lifecycle.deathReportedBy" =>
                    PolicyTable.Rows(chain).FirstOrDefault(r => r.Key == key) is { } row ? $"{row.Basis} {row.Value}" : null,
                _ => throw new Xunit.Sdk.XunitException($"bases: unknown key {key}"),
            };
            if (got != want)
            {
                diffs.Add($"bases.{key}: want {want}, got {got ?? "null"}");
            }
        }
    }

    private static (string? Policy, IReadOnlyList<YamlNode> Cases) Load(string file)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(file))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var policy = root.Children.TryGetValue(new YamlScalarNode("policy"), out var p) ? ((YamlScalarNode)p).Value : null;
        var cases = ((YamlSequenceNode)root.Children[new YamlScalarNode("cases")]).Children;
        return (policy, cases.ToList());
    }

    private static string Name(YamlNode node) =>
        ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode("name"), out var n) ? ((YamlScalarNode)n).Value ?? "" : "";
}

/// <summary>A fixed clock for tests.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.CreateCustomTimeZone("CST", TimeSpan.FromHours(8), "CST", "CST");
}
