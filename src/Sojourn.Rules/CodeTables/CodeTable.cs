using System.Collections.Frozen;

namespace Sojourn.Rules;

/// <summary>One code of a national code table, e.g. 01 汉族.</summary>
/// <param name="Code">The code as written in the standard (leading zeros kept).</param>
/// <param name="Name">The standard's Chinese name.</param>
/// <param name="Attributes">The table's other columns by header name (e.g. <c>letters</c>, <c>parent</c>);
/// empty cells are left out.</param>
public sealed record CodeEntry(string Code, string Name, IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>An extra column's value, or null when empty or absent.</summary>
    public string? this[string column] => Attributes.TryGetValue(column, out var v) ? v : null;
}

/// <summary>A code → name lookup over one national standard's table, loaded from an embedded CSV whose
/// first two columns are <c>code,name</c>.</summary>
public sealed class CodeTable
{
    private readonly FrozenDictionary<string, CodeEntry> _byCode;
    private readonly FrozenDictionary<string, CodeEntry> _byName;

    private CodeTable(string standard, IReadOnlyList<CodeEntry> entries)
    {
        Standard = standard;
        Entries = entries;
        _byCode = entries.ToFrozenDictionary(e => e.Code, StringComparer.Ordinal);
        _byName = entries.ToFrozenDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>The standard the table implements, e.g. "GB/T 3304-1991".</summary>
    public string Standard { get; }

    /// <summary>All entries in file order.</summary>
    public IReadOnlyList<CodeEntry> Entries { get; }

    /// <summary>The entry for <paramref name="code"/>, or null.</summary>
    public CodeEntry? Find(string? code) =>
        code is not null && _byCode.TryGetValue(code, out var e) ? e : null;

    /// <summary>The entry whose name is exactly <paramref name="name"/>, or null.</summary>
    public CodeEntry? FindByName(string? name) =>
        name is not null && _byName.TryGetValue(name, out var e) ? e : null;

    /// <summary>The name for <paramref name="code"/>, or null for an unknown code.</summary>
    public string? NameOf(string? code) => Find(code)?.Name;

    /// <summary>True when <paramref name="code"/> is in the table.</summary>
    public bool Contains(string? code) => code is not null && _byCode.ContainsKey(code);

    /// <summary>Loads an embedded CSV table.</summary>
    internal static CodeTable Load(string standard, string logicalName, string header)
    {
        var columns = header.Split(',');
        if (columns.Length < 2 || columns[0] != "code" || columns[1] != "name")
        {
            throw new ArgumentException("A code table starts with code,name.", nameof(header));
        }

        var entries = EmbeddedCsv.Read(logicalName, header)
            .Select(f => new CodeEntry(
                f[0],
                f[1],
                Enumerable.Range(2, columns.Length - 2)
                    .Where(i => f[i].Length > 0)
                    .ToFrozenDictionary(i => columns[i], i => f[i], StringComparer.Ordinal)))
            .ToArray();
        return new CodeTable(standard, entries);
    }
}

/// <summary>The national code tables embedded from <c>data/</c>; each loads once, on first use.</summary>
public static class CodeTables
{
    private static readonly Lazy<CodeTable> Ethnic = new(() => CodeTable.Load(
        "GB/T 3304-1991", "Sojourn.Rules.CodeTables.gbt3304.ethnic-groups.csv", "code,name,romanised,letters"));

    private static readonly Lazy<CodeTable> Education = new(() => CodeTable.Load(
        "GB/T 4658-2006", "Sojourn.Rules.CodeTables.gbt4658.education-levels.csv", "code,name,parent"));

    private static readonly Lazy<CodeTable> Sex = new(() => CodeTable.Load(
        "GB/T 2261.1-2003", "Sojourn.Rules.CodeTables.gbt2261.sexes.csv", "code,name,short"));

    /// <summary>民族: GB/T 3304 codes 01-56 (attributes <c>romanised</c>, <c>letters</c>), plus 97 其他 and
    /// 98 外国血统中国籍人士.</summary>
    public static CodeTable EthnicGroups => Ethnic.Value;

    /// <summary>学历: GB/T 4658 two-digit codes; category codes end in 0, others carry a <c>parent</c> attribute.</summary>
    public static CodeTable EducationLevels => Education.Value;

    /// <summary>性别: GB/T 2261.1 codes 0, 1, 2, 9 (attribute <c>short</c>: 男/女...). Codes 1 and 2 equal
    /// <see cref="Sojourn.Domain.Sex"/> values.</summary>
    public static CodeTable Sexes => Sex.Value;
}
