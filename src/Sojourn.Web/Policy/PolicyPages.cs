using System.Text.Json;
using System.Text.Json.Nodes;
using Sojourn.Rules.Evaluation;

namespace Sojourn.Web.Policy;

/// <summary>
/// A person's facts as the evaluation form takes them; <see cref="PolicyQueries.Evaluate"/> turns them into the
/// contract's case (docs/policy-evaluation.md), so the form and the API are judged by the same parser and engine.
/// </summary>
internal sealed class EvaluationForm
{
    public string? Policy { get; set; }

    public string? AsOf { get; set; }

    public string? BirthDate { get; set; }

    public string Sex { get; set; } = "female";

    public string Category { get; set; } = "mainland";

    public string? MaritalStatus { get; set; }

    public string? HukouDivision { get; set; }

    public string? ResidenceDivision { get; set; }

    public string? ArrivedOn { get; set; }

    public int? IntendedDays { get; set; }

    public string Purpose { get; set; } = "work";

    public string Lodging { get; set; } = "rental";

    public string? RegisteredOn { get; set; }

    public int? SocialInsuranceMonths { get; set; }

    public int? LaborContractMonths { get; set; }

    public bool RentalContract { get; set; }

    public bool OwnsHome { get; set; }

    public bool EnrolledFullTime { get; set; }
}

/// <summary>The answer to the form: the result, or the contract's rejection (message and field).</summary>
internal sealed record EvaluationAnswer(EvaluationResult? Result, CaseError? Error, IReadOnlyDictionary<string, string> Citations);

/// <summary>
/// What the policy pages ask: the list, one policy, two compared, a case evaluated. The same catalogue browser the CLI
/// uses and the same <see cref="PolicyService"/> the evaluate endpoint uses; no person's data is read or kept.
/// </summary>
internal sealed class PolicyQueries(PolicyBrowser browser, PolicyService evaluation)
{
    public Task<IReadOnlyList<PolicySummary>> ListAsync() => Task.FromResult(browser.List());

    /// <summary>The contract's vocabularies as a form offers them: (code, zh-CN label).</summary>
    public static IReadOnlyList<(string Code, string Label)> Categories { get; } =
        [.. Enum.GetValues<PersonCategory>().Select(v => (Vocabulary.Name(v), PolicyTable.Zh(v)))];

    public static IReadOnlyList<(string Code, string Label)> Purposes { get; } =
        [.. Enum.GetValues<StayPurpose>().Select(v => (Vocabulary.Name(v), PolicyTable.Zh(v)))];

    public static IReadOnlyList<(string Code, string Label)> Lodgings { get; } =
        [.. Enum.GetValues<Lodging>().Select(v => (Vocabulary.Name(v), PolicyTable.Zh(v)))];

    /// <summary>A duty's party in zh-CN.</summary>
    public static string PartyName(string party) => Vocabulary.TryParse(party, out Party p) ? PolicyTable.PartyName(p) : party;

    /// <summary>A division's full name for a code the form was given (山西省太原市小店区), or null.</summary>
    public static string? DivisionName(string? code) => Rules.Divisions.DivisionTable.Default.Find(code?.Trim())?.FullName;

    public Task<PolicyView?> ShowAsync(string id) => Task.FromResult(browser.Show(id));

    public Task<PolicyComparison?> DiffAsync(string a, string b) => Task.FromResult(browser.Diff(a, b));

    public Task<EvaluationAnswer> EvaluateAsync(EvaluationForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        using var doc = JsonDocument.Parse(Case(form).ToJsonString());
        var (result, error) = evaluation.EvaluateOne(doc.RootElement);
        var bases = result is null ? [] : new[] { result.Floating.Basis, result.Permit?.Basis }
            .Concat(result.Duties.Select(d => d.Duty.Basis))
            .Concat(result.Penalties.Select(p => p.Basis))
            .Concat(result.Entitlements.Select(e => e.Basis))
            .OfType<string>();
        return Task.FromResult(new EvaluationAnswer(result, error, browser.Citations(bases)));
    }

    /// <summary>The contract's case for the form (empty fields left out: "not done / not known").</summary>
    public static JsonObject Case(EvaluationForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        static string? D(string? d) => string.IsNullOrWhiteSpace(d) ? null : d.Trim();
        static JsonObject Clean(JsonObject o)
        {
            foreach (var key in o.Where(p => p.Value is null).Select(p => p.Key).ToList())
            {
                o.Remove(key);
            }

            return o;
        }

        return Clean(new JsonObject
        {
            ["policy"] = string.IsNullOrWhiteSpace(form.Policy) ? null : form.Policy,
            ["asOf"] = D(form.AsOf),
            ["person"] = Clean(new JsonObject
            {
                ["birthDate"] = D(form.BirthDate),
                ["sex"] = form.Sex,
                ["category"] = form.Category,
                ["maritalStatus"] = string.IsNullOrWhiteSpace(form.MaritalStatus) ? null : form.MaritalStatus,
                ["hukouDivision"] = string.IsNullOrWhiteSpace(form.HukouDivision) ? null : form.HukouDivision.Trim(),
            }),
            ["stay"] = Clean(new JsonObject
            {
                ["residenceDivision"] = form.ResidenceDivision?.Trim(),
                ["arrivedOn"] = D(form.ArrivedOn),
                ["intendedDays"] = form.IntendedDays,
                ["purpose"] = form.Purpose,
                ["lodging"] = form.Lodging,
            }),
            ["facts"] = Clean(new JsonObject
            {
                ["registeredOn"] = D(form.RegisteredOn),
                ["socialInsuranceMonths"] = form.SocialInsuranceMonths,
                ["laborContractMonths"] = form.LaborContractMonths,
                ["rentalContract"] = form.RentalContract,
                ["ownsHome"] = form.OwnsHome,
                ["enrolledFullTime"] = form.EnrolledFullTime,
            }),
        });
    }
}
