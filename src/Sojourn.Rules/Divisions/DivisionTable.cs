using System.Collections.Frozen;
using Sojourn.Domain;

namespace Sojourn.Rules.Divisions;

/// <summary>
/// The GB/T 2260 administrative divisions (province, prefecture and county levels) from
/// <c>data/gbt2260/divisions.csv</c>, embedded into this assembly and loaded once on first use of
/// <see cref="Default"/>. Lookups are dictionary reads and allocate nothing.
/// </summary>
/// <remarks>
/// "Prefecture" below means the prefecture-level unit a place belongs to. For the four municipalities
/// (北京, 天津, 上海, 重庆) the municipality itself plays that role, so 北京市东城区 and 北京市朝阳区 are in the
/// same prefecture. County-level units administered directly by a province (仙桃市, 石河子市 ...) belong to
/// no prefecture: they are only in the same prefecture as themselves.
/// </remarks>
public sealed class DivisionTable
{
    private const string ResourceName = "Sojourn.Rules.CodeTables.gbt2260.divisions.csv";
    private const string Header = "code,name,level,parent,isUrbanDistrict";

    private static readonly Lazy<DivisionTable> Lazy = new(() =>
        Create(EmbeddedCsv.Read(ResourceName, Header), ResourceName));

    // Suffixes stripped to index short names (太原市 → 太原), longest first.
    private static readonly string[] Suffixes =
    [
        "特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区", "省", "市", "区", "县", "旗", "盟",
    ];

    private static readonly FrozenSet<string> Municipalities =
        new[] { "110000", "120000", "310000", "500000" }.ToFrozenSet(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, Division> _byCode;
    private readonly FrozenDictionary<string, Division>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly FrozenDictionary<string, Division[]> _byName;
    private readonly FrozenDictionary<string, Division[]> _children;

    private DivisionTable(IReadOnlyList<Division> all)
    {
        All = all;
        _byCode = all.ToFrozenDictionary(d => d.Code, StringComparer.Ordinal);
        _bySpan = _byCode.GetAlternateLookup<ReadOnlySpan<char>>();
        _children = all.Where(d => d.ParentCode is not null)
            .GroupBy(d => d.ParentCode!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

        // 族 names and bare names of two or more characters (伊犁哈萨克自治州); a one-character bare name
        // would wrongly strip 西藏 to 西.
        var ethnicNames = CodeTables.EthnicGroups.Entries
            .Where(e => e.Name.EndsWith('族'))
            .SelectMany(e => new[] { e.Name, e.Name[..^1] })
            .Where(n => n.Length >= 2)
            .OrderByDescending(n => n.Length)
            .ToArray();
        _byName = all
            .SelectMany(d => new[] { (Key: d.Name, Division: d), (Key: ShortName(d.Name, ethnicNames), Division: d) })
            .Where(x => x.Key.Length >= 2)
            .Distinct()
            .GroupBy(x => x.Key, StringComparer.Ordinal)
            .ToFrozenDictionary(
                g => g.Key,
                g => g.Select(x => x.Division).Distinct().OrderBy(d => d.Code, StringComparer.Ordinal).ToArray(),
                StringComparer.Ordinal);
    }

    /// <summary>The table embedded at build time.</summary>
    public static DivisionTable Default => Lazy.Value;

    /// <summary>All divisions ordered by code.</summary>
    public IReadOnlyList<Division> All { get; }

    /// <summary>Number of divisions.</summary>
    public int Count => All.Count;

    /// <summary>The division with exactly this code, or null (retired, development zone, malformed).</summary>
    public Division? Find(string? code) => code is not null && _byCode.TryGetValue(code, out var d) ? d : null;

    /// <summary>Span overload of <see cref="Find(string?)"/>.</summary>
    public Division? Find(ReadOnlySpan<char> code) => _bySpan.TryGetValue(code, out var d) ? d : null;

    /// <summary>True when the code is in the current table.</summary>
    public bool IsKnown(string? code) => code is not null && _byCode.ContainsKey(code);

    /// <summary>
    /// Divisions whose name is <paramref name="name"/> or whose name without its type suffix is
    /// <paramref name="name"/>: "太原" and "太原市" find 太原市; "朝阳" finds several. Ordered by code;
    /// empty when nothing matches. Autonomous units also match without their ethnic part (石柱土家族自治县 by 石柱).
    /// </summary>
    public IReadOnlyList<Division> FindByName(string? name) =>
        name is not null && _byName.TryGetValue(name.Trim(), out var list) ? list : [];

    /// <summary>The province-level division of any well-formed code (known or not), or null.</summary>
    public Division? Province(string? code)
    {
        if (code is null || !DivisionCode.IsWellFormed(code))
        {
            return null;
        }

        Span<char> key = stackalloc char[6];
        code.AsSpan(0, 2).CopyTo(key);
        key[2..].Fill('0');
        return Find(key);
    }

    /// <summary>
    /// The prefecture-level unit <paramref name="code"/> belongs to (itself for a prefecture; the municipality
    /// for its districts and counties), or null for a province, a county administered directly by a province,
    /// or a malformed code. A retired county code is mapped by its first four digits when they still name a
    /// prefecture.
    /// </summary>
    public Division? Prefecture(string? code)
    {
        if (code is null || !DivisionCode.IsWellFormed(code))
        {
            return null;
        }

        var province = Province(code);
        if (province is not null && Municipalities.Contains(province.Code))
        {
            return province;
        }

        if (Find(code) is { } known)
        {
            return known.Level switch
            {
                DivisionLevel.Prefecture => known,
                DivisionLevel.County when known.ParentCode is { } p && Find(p) is { Level: DivisionLevel.Prefecture } parent
                    => parent,
                _ => null,
            };
        }

        Span<char> key = stackalloc char[6];
        code.AsSpan(0, 4).CopyTo(key);
        key[4..].Fill('0');
        return Find(key) is { Level: DivisionLevel.Prefecture } prefecture ? prefecture : null;
    }

    /// <summary>Children of a division (prefectures of a province, counties of a prefecture), ordered by code.</summary>
    public IReadOnlyList<Division> Children(string? code) =>
        code is not null && _children.TryGetValue(code, out var list) ? list : [];

    /// <summary>Classifies a code: see <see cref="DivisionStatus"/>.</summary>
    public DivisionStatus Check(string? code)
    {
        if (code is null || !DivisionCode.IsWellFormed(code) || !ProvinceCodes.IsKnown(code))
        {
            return DivisionStatus.Invalid;
        }

        return IsKnown(code) ? DivisionStatus.Known : DivisionStatus.UnknownOrRetired;
    }

    /// <summary>True when both are the same well-formed county-level code (known or retired).</summary>
    public static bool SameCounty(string? a, string? b) =>
        a is not null && DivisionCode.IsWellFormed(a) && !a.AsSpan(4).SequenceEqual("00")
        && string.Equals(a, b, StringComparison.Ordinal);

    /// <summary>
    /// True when both codes belong to the same prefecture-level unit (see <see cref="Prefecture"/>); a county
    /// administered directly by a province is only in the same prefecture as itself.
    /// </summary>
    public bool SamePrefecture(string? a, string? b)
    {
        var pa = PrefectureKey(a);
        return pa is not null && string.Equals(pa, PrefectureKey(b), StringComparison.Ordinal);
    }

    /// <summary>Builds a table from CSV text in the <c>divisions.csv</c> format (for tests and tools).</summary>
    public static DivisionTable Parse(TextReader reader, string source = "divisions.csv") =>
        Create(EmbeddedCsv.Parse(reader, source, Header), source);

    private string? PrefectureKey(string? code)
    {
        if (Prefecture(code) is { } prefecture)
        {
            return prefecture.Code;
        }

        return Find(code) is { Level: DivisionLevel.County } county ? county.Code : null;
    }

    private static DivisionTable Create(List<string[]> rows, string source)
    {
        var raw = new Dictionary<string, (string Name, DivisionLevel Level, string? Parent, bool Urban)>(StringComparer.Ordinal);
        foreach (var f in rows)
        {
            if (!DivisionCode.IsWellFormed(f[0]) || f[2] is not ("1" or "2" or "3") || f[4] is not ("true" or "false"))
            {
                throw new InvalidDataException($"{source}: bad row for code '{f[0]}'.");
            }

            if (!raw.TryAdd(f[0], (f[1], (DivisionLevel)(f[2][0] - '0'), f[3].Length == 0 ? null : f[3], f[4] == "true")))
            {
                throw new InvalidDataException($"{source}: duplicate code {f[0]}.");
            }
        }

        string FullName(string code)
        {
            var (name, _, parent, _) = raw[code];
            if (parent is null)
            {
                return name;
            }

            if (!raw.TryGetValue(parent, out var parentRow) || parentRow.Level >= raw[code].Level)
            {
                throw new InvalidDataException($"{source}: code {code} has a bad parent {parent}.");
            }

            return FullName(parent) + name;
        }

        var all = raw
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new Division(kv.Key, kv.Value.Name, kv.Value.Level, kv.Value.Parent, kv.Value.Urban, FullName(kv.Key)))
            .ToArray();
        return new DivisionTable(all);
    }

    private static string ShortName(string name, string[] ethnicNames)
    {
        foreach (var suffix in Suffixes)
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal))
            {
                var stem = name[..^suffix.Length];
                if (suffix.StartsWith("自治", StringComparison.Ordinal))
                {
                    stem = StripEthnicNames(stem, ethnicNames);
                }

                return stem;
            }
        }

        return name;
    }

    // 恩施土家族苗族 → 恩施; 新疆维吾尔 → 新疆; 内蒙古 stays (the stem must keep two characters).
    private static string StripEthnicNames(string stem, string[] ethnicNames)
    {
        var stripped = true;
        while (stripped)
        {
            stripped = false;
            foreach (var ethnic in ethnicNames)
            {
                if (stem.Length >= ethnic.Length + 2 && stem.EndsWith(ethnic, StringComparison.Ordinal))
                {
                    stem = stem[..^ethnic.Length];
                    stripped = true;
                    break;
                }
            }
        }

        return stem;
    }
}
