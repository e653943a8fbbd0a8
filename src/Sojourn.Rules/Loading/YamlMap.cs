using System.Globalization;
using Sojourn.Rules.Periods;
using YamlDotNet.RepresentationModel;

namespace Sojourn.Rules.Loading;

/// <summary>
/// Reads one YAML mapping strictly: every key must be consumed, so an unknown key (a typo) is an
/// error naming file, line and key rather than a rule silently dropped.
/// </summary>
internal sealed class YamlMap
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _used = ["note"];

    public YamlMap(YamlMappingNode node, string file, string path)
    {
        _node = node;
        File = file;
        Path = path;
    }

    public string File { get; }

    public string Path { get; }

    public long Line => _node.Start.Line;

    public static YamlMap Of(YamlNode node, string file, string path) =>
        node is YamlMappingNode m ? new YamlMap(m, file, path) : throw Error(file, node, path, "应为映射 (key: value)");

    public static PolicyLoadException Error(string file, YamlNode node, string path, string problem) =>
        new(file, node.Start.Line, path, problem);

    public PolicyLoadException Error(string key, string problem) =>
        _node.Children.TryGetValue(new YamlScalarNode(key), out var n)
            ? Error(File, n, Key(key), problem)
            : new PolicyLoadException(File, Line, Key(key), problem);

    public string Key(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public bool Has(string key) => _node.Children.ContainsKey(new YamlScalarNode(key));

    public IEnumerable<string> Keys => _node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "");

    /// <summary>The node, or null when the key is absent; marks it used.</summary>
    public YamlNode? Node(string key)
    {
        _used.Add(key);
        return _node.Children.TryGetValue(new YamlScalarNode(key), out var n) ? n : null;
    }

    public YamlNode Required(string key) =>
        Node(key) ?? throw new PolicyLoadException(File, Line, Key(key), "缺少必填项");

    public static bool IsNull(YamlNode? n) =>
        n is null || (n is YamlScalarNode s && s.Style == YamlDotNet.Core.ScalarStyle.Plain && s.Value is null or "" or "null" or "~");

    public string? String(string key, bool required = false)
    {
        var n = required ? Required(key) : Node(key);
        if (IsNull(n))
        {
            return required ? throw Error(key, "不能为空") : null;
        }

        return n is YamlScalarNode s ? s.Value : throw Error(File, n!, Key(key), "应为文本");
    }

    public string Article(string key = "article") =>
        String(key) ?? throw new PolicyLoadException(File, Line, Key(key), "缺少条款 (article)");

    public int? Int(string key, bool required = false)
    {
        var s = String(key, required);
        if (s is null)
        {
            return null;
        }

        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw Error(key, $"应为整数，实为 “{s}”");
    }

    public bool? Bool(string key)
    {
        var s = String(key);
        return s switch
        {
            null => null,
            "true" => true,
            "false" => false,
            _ => throw Error(key, $"应为 true 或 false，实为 “{s}”"),
        };
    }

    public DateOnly? Date(string key, bool required = false)
    {
        var s = String(key, required);
        if (s is null)
        {
            return null;
        }

        return DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw Error(key, $"应为日期 YYYY-MM-DD，实为 “{s}”");
    }

    public YamlMap? Map(string key, bool required = false)
    {
        var n = required ? Required(key) : Node(key);
        return IsNull(n) ? null : Of(n!, File, Key(key));
    }

    public IReadOnlyList<YamlNode> List(string key, bool required = false)
    {
        var n = required ? Required(key) : Node(key);
        if (IsNull(n))
        {
            return [];
        }

        return n is YamlSequenceNode seq ? seq.Children.ToList() : throw Error(File, n!, Key(key), "应为列表");
    }

    public IReadOnlyList<string> Strings(string key, bool required = false) =>
        List(key, required).Select((n, i) => n is YamlScalarNode s && s.Value is not null
            ? s.Value
            : throw Error(File, n, $"{Key(key)}[{i}]", "应为文本")).ToList();

    public Period? Period(string key, bool required = false)
    {
        var m = Map(key, required);
        if (m is null)
        {
            return null;
        }

        var amount = m.Int("amount") ?? throw new PolicyLoadException(File, m.Line, m.Key("amount"), "期间缺少数量 (amount)");
        if (amount < 1)
        {
            throw m.Error("amount", "期间数量应为正整数");
        }

        var unitText = m.String("unit") ?? throw new PolicyLoadException(File, m.Line, m.Key("unit"), "期间缺少单位 (unit)");
        if (!Periods.Period.TryParseUnit(unitText, out var unit))
        {
            throw m.Error("unit", $"未知的期间单位 “{unitText}”（应为 days, working-days, hours, months, years）");
        }

        m.Done();
        return new Period(amount, unit);
    }

    /// <summary>Fails on the first key that was never read.</summary>
    public void Done()
    {
        foreach (var (k, _) in _node.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            if (!_used.Contains(name))
            {
                throw Error(File, k, Key(name), "未知的键");
            }
        }
    }
}
