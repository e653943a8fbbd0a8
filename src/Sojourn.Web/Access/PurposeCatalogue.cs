using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Access;

/// <summary>
/// A purpose an official may state for a read (Access/purposes.json): its code, its zh-CN and English labels, and the
/// articles that make the read part of a duty, or <see cref="Silent"/> where no single article names it.
/// </summary>
internal sealed record PurposeEntry(string Code, string Zh, string En, IReadOnlyList<string> Basis, bool Silent, string? Note);

/// <summary>A stated purpose: a catalogue code and the free text after it, decoded.</summary>
internal sealed record StatedPurpose(string Code, string? Note)
{
    /// <summary>As the audit entry stores it: <c>case-handling</c> or <c>case-handling; 案件编号 2026-17</c>.</summary>
    public override string ToString() => Note is null ? Code : Code + "; " + Note;
}

/// <summary>
/// The catalogue of purposes (个人信息保护法 第六条: a clear, reasonable purpose), kept as data in Access/purposes.json.
/// The header <c>X-Sojourn-Purpose</c> carries a code, optionally followed by <c>; note=</c> and UTF-8 text in
/// percent-encoding (a header is ASCII), so an officer can state the case in Chinese:
/// <c>case-handling; note=%E6%A1%88%E4%BB%B6</c>.
/// </summary>
internal sealed partial class PurposeCatalogue
{
    private const string NoteParameter = "note=";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<string, PurposeEntry> _byCode;

    private PurposeCatalogue(IReadOnlyList<PurposeEntry> entries)
    {
        Entries = entries;
        _byCode = entries.ToDictionary(e => e.Code, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The catalogue shipped with the application.</summary>
    public static PurposeCatalogue Default { get; } = Load();

    public IReadOnlyList<PurposeEntry> Entries { get; }

    public static PurposeCatalogue Load()
    {
        using var stream = typeof(PurposeCatalogue).Assembly.GetManifestResourceStream("Sojourn.Web.Access.purposes.json")
            ?? throw new InvalidOperationException("Access/purposes.json is not embedded.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd());
    }

    /// <summary>Reads and checks a catalogue: codes unique and lower-case, both labels, articles or <c>silent</c>, never both.</summary>
    public static PurposeCatalogue Parse(string json)
    {
        var file = JsonSerializer.Deserialize<CatalogueFile>(json, Json) ?? throw new InvalidOperationException("purposes.json is empty.");
        var entries = new List<PurposeEntry>();
        foreach (var e in file.Purposes ?? [])
        {
            var code = e.Code ?? "";
            var basis = (e.Basis ?? []).Where(b => !string.IsNullOrWhiteSpace(b)).ToList();
            var problem = !CodeShape().IsMatch(code) ? "a code of lower-case letters, digits and hyphens"
                : string.IsNullOrWhiteSpace(e.Zh) || string.IsNullOrWhiteSpace(e.En) ? "a zh and an en label"
                : (basis.Count > 0) == e.Silent ? "articles in basis, or silent: true, never both"
                : entries.Any(x => x.Code == code) ? "a code of its own"
                : null;
            if (problem is not null)
            {
                throw new InvalidOperationException($"purposes.json: purpose '{code}' needs {problem}.");
            }

            entries.Add(new PurposeEntry(code, e.Zh!.Trim(), e.En!.Trim(), basis, e.Silent, e.Note));
        }

        return entries.Count == 0 ? throw new InvalidOperationException("purposes.json lists no purpose.") : new PurposeCatalogue(entries);
    }

    public PurposeEntry? Find(string code) => _byCode.GetValueOrDefault(code.Trim());

    /// <summary>
    /// The purpose a header states, or null when its code is not in the catalogue (<paramref name="code"/> then names
    /// what was sent). The text after the code is percent-decoded; control characters are dropped.
    /// </summary>
    public StatedPurpose? Parse(string header, out string code)
    {
        ArgumentNullException.ThrowIfNull(header);
        var semicolon = header.IndexOf(';', StringComparison.Ordinal);
        code = (semicolon < 0 ? header : header[..semicolon]).Trim();
        if (Find(code) is not { } entry)
        {
            return null;
        }

        var rest = semicolon < 0 ? "" : header[(semicolon + 1)..].Trim();
        if (rest.StartsWith(NoteParameter, StringComparison.OrdinalIgnoreCase))
        {
            rest = rest[NoteParameter.Length..];
        }

        var note = new string(Uri.UnescapeDataString(rest).Where(c => !char.IsControl(c)).ToArray()).Trim();
        return new StatedPurpose(entry.Code, note.Length == 0 ? null : note);
    }

    /// <summary>
    /// How an audit view shows a stored purpose: the code's zh-CN label and the text after it (<c>办案：案件编号 2026-17</c>);
    /// a value that names no code (entries written before the catalogue) as stored.
    /// </summary>
    public string? Label(string? stored)
    {
        if (stored is null)
        {
            return null;
        }

        var semicolon = stored.IndexOf(';', StringComparison.Ordinal);
        if (Find(semicolon < 0 ? stored : stored[..semicolon]) is not { } entry)
        {
            return stored;
        }

        var note = semicolon < 0 ? "" : stored[(semicolon + 1)..].Trim();
        return note.Length == 0 ? entry.Zh : entry.Zh + "：" + note;
    }

    /// <summary>The 400 for a code the catalogue does not hold: names the header and lists the codes a client may send.</summary>
    public ProblemHttpResult UnknownProblem(string header, string code)
    {
        var english = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";
        var list = string.Join(english ? ", " : "、", Entries.Select(e => $"{e.Code}（{(english ? e.En : e.Zh)}）"));
        var failure = Failure.Of(ErrorCode.PurposeUnknown, "Error_PurposeUnknown_Detail", header, code, list)
            .With("header", header)
            .With("purposes", Entries.Select(e => e.Code).ToArray());
        return ApiProblems.Result(failure);
    }

    /// <summary>GET /api/v1/audit/purposes: the catalogue, for clients that offer the choice.</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/audit/purposes", () => TypedResults.Ok(Default.Entries))
            .WithName("ListAuditPurposes").WithTags("审计 Audit")
            .WithSummary("查阅用途目录：代码、中文和英文名称、法律依据（或 silent：无单一条文）；请求头 X-Sojourn-Purpose 用其代码");

    [GeneratedRegex("^[a-z][a-z0-9-]{0,39}$")]
    private static partial Regex CodeShape();

    private sealed record CatalogueFile(List<FileEntry>? Purposes);

    private sealed record FileEntry(string? Code, string? Zh, string? En, List<string>? Basis, bool Silent, string? Note);
}
