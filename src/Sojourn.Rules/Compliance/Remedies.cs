using Sojourn.Rules.Loading;
using Sojourn.Rules.Periods;
using YamlDotNet.RepresentationModel;

namespace Sojourn.Rules.Compliance;

/// <summary>One remedy a decision must name: the statute (external: not among the seeds), its article, its period.</summary>
public sealed record Remedy(string Id, string Statute, string Version, string Article, Period Period, string Text, string Notice)
{
    /// <summary>The citation as a notice prints it: 《中华人民共和国行政复议法》第20条.</summary>
    public string Basis => $"{Statute}第{Article}条";
}

/// <summary>The remedies of Compliance/remedies.yaml (embedded), read strictly once.</summary>
public static class Remedies
{
    private static readonly Lazy<IReadOnlyList<Remedy>> Loaded = new(Load);

    public static IReadOnlyList<Remedy> All => Loaded.Value;

    private static List<Remedy> Load()
    {
        const string file = "remedies.yaml";
        using var stream = typeof(Remedies).Assembly.GetManifestResourceStream("Sojourn.Rules.Compliance.remedies.yaml")
            ?? throw new InvalidOperationException("Embedded Compliance/remedies.yaml is missing.");
        using var reader = new StreamReader(stream);
        var yaml = new YamlStream();
        yaml.Load(reader);
        var root = YamlMap.Of(yaml.Documents[0].RootNode, file, "");
        var list = root.List("remedies", true).Select((n, i) =>
        {
            var m = YamlMap.Of(n, file, $"remedies[{i}]");
            var r = new Remedy(m.String("id", true)!, m.String("statute", true)!, m.String("version", true)!, m.Article(),
                m.Period("period", true)!.Value, m.String("text", true)!, m.String("notice", true)!);
            m.Done();
            return r;
        }).ToList();
        root.Done();
        return list;
    }
}
