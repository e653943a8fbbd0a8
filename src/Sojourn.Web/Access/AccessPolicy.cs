using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sojourn.Web.Access;

/// <summary>
/// The access table of Access/access.json (embedded): which roles may call which endpoint, and each
/// role's field view of a registration with its legal basis. Data, not C# literals.
/// </summary>
public sealed class AccessPolicy
{
    public const string Anonymous = "anonymous";
    public const string Authenticated = "authenticated";

    private static readonly JsonSerializerOptions ReadOptions = new() { PropertyNameCaseInsensitive = true };

    private AccessPolicy(Dictionary<string, string[]> endpoints, Dictionary<string, FieldView> views, Dictionary<string, int> tokenDays)
    {
        Endpoints = endpoints;
        FieldViews = views;
        ApiTokenMaxDays = tokenDays;
    }

    public IReadOnlyDictionary<string, string[]> Endpoints { get; }
    public IReadOnlyDictionary<string, FieldView> FieldViews { get; }

    /// <summary>Longest integration token per role, in days; a role not listed gets none.</summary>
    public IReadOnlyDictionary<string, int> ApiTokenMaxDays { get; }

    public static AccessPolicy Load()
    {
        using var stream = typeof(AccessPolicy).Assembly.GetManifestResourceStream("Sojourn.Web.Access.access.json")
            ?? throw new InvalidOperationException("Embedded Access/access.json is missing.");
        var file = JsonSerializer.Deserialize<AccessFile>(stream, ReadOptions)
            ?? throw new InvalidOperationException("Access/access.json is empty.");
        return new AccessPolicy(
            new Dictionary<string, string[]>(file.Endpoints, StringComparer.Ordinal),
            new Dictionary<string, FieldView>(file.FieldViews, StringComparer.Ordinal),
            new Dictionary<string, int>(file.ApiTokenMaxDays, StringComparer.Ordinal));
    }

    /// <summary>Null when the endpoint is not in the table (the caller then refuses API endpoints).</summary>
    public string[]? RolesFor(string endpointKey) => Endpoints.TryGetValue(endpointKey, out var roles) ? roles : null;

    /// <summary>The role's view; null means the role sees no named person at all.</summary>
    public FieldView? ViewFor(string? role) => role is not null && FieldViews.TryGetValue(role, out var v) ? v : null;

    private sealed class AccessFile
    {
        public Dictionary<string, string[]> Endpoints { get; init; } = [];
        public Dictionary<string, FieldView> FieldViews { get; init; } = [];
        public Dictionary<string, int> ApiTokenMaxDays { get; init; } = [];
    }
}

/// <summary>One role's view of a registration record.</summary>
public sealed class FieldView
{
    /// <summary>
    /// Why this view holds these fields (minimisation, 个人信息保护法 第六条). For a department, the articles that give it its
    /// duty are not here but in the policy files (<c>dataAccess.departments</c>), per jurisdiction: <see cref="BasisFor"/>.
    /// </summary>
    public string Basis { get; init; } = "";

    /// <summary>The policy files' department id (<c>health</c>, <c>hrss</c>, …) for a department's view; null otherwise.</summary>
    public string? Department { get; init; }

    /// <summary>
    /// The basis of a department's view of a record of <paramref name="division"/> on <paramref name="day"/>: the
    /// department's duty articles and the confidentiality articles in force there, then this view's field reasons.
    /// </summary>
    public string BasisFor(string division, DateOnly day)
    {
        var terms = Rules.Registration.DataAccessTerms.For(division, day);
        if (Department is null || terms is null || !terms.Departments.TryGetValue(Department, out var duty))
        {
            return Basis;
        }

        var parts = new List<string>
        {
            "职责依据：" + Permits.PermitStepKit.Cite(duty.Basis) + (duty.Value.Count > 0 ? "" : "未规定"),
        };
        if (terms.Confidentiality.Count > 0)
        {
            parts.Add("知悉即保密：" + Permits.PermitStepKit.Cite(string.Join(',', terms.Confidentiality)));
        }

        parts.Add(Basis);
        return string.Join("；", parts);
    }

    /// <summary>masked | full.</summary>
    [JsonPropertyName("idNumber")]
    public string IdNumber { get; init; } = "masked";

    /// <summary>Purposes for which this role sees the full identity number (e.g. certificate).</summary>
    public string[] IdNumberFullPurposes { get; init; } = [];

    public string[] Fields { get; init; } = [];

    public bool Shows(string field) => Fields.Contains(field, StringComparer.Ordinal);
}
