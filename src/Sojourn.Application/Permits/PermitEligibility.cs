using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Application.Registrations;
using Sojourn.Application.Time;
using Sojourn.Data.Registrations;
using Sojourn.Rules.Divisions;
using Sojourn.Rules.Evaluation;

namespace Sojourn.Application.Permits;

/// <summary>The eligibility facts a person declares (the policy case's <c>facts</c>, contract vocabulary).</summary>
internal sealed record EligibilityFacts
{
    public int SocialInsuranceMonths { get; init; }
    public int LaborContractMonths { get; init; }
    public int BusinessLicenseMonths { get; init; }
    public int AgriculturalContractMonths { get; init; }
    public bool OwnsHome { get; init; }
    public bool RentalContract { get; init; }
    public bool EmployerDormitory { get; init; }
    public bool EnrolledFullTime { get; init; }
    public bool TalentOrInvestor { get; init; }
}

/// <summary>One condition not met, with its zh-CN label.</summary>
internal sealed record UnmetConditionDto(string Id, string Label);

/// <summary>The engine's permit answer for a registration and declared facts, with the engine stamp.</summary>
internal sealed record EligibilityDto(
    Guid RegistrationId,
    DateOnly AsOf,
    bool Eligible,
    DateOnly? Earliest,
    IReadOnlyList<UnmetConditionDto> Unmet,
    string? Basis,
    IReadOnlyList<string> Policies,
    JsonNode Engine);

/// <summary>What the evaluation of a permit case answered (kept in the "applied" event).</summary>
internal sealed record EligibilityOutcome(
    DateOnly AsOf,
    bool Eligible,
    DateOnly? Earliest,
    IReadOnlyList<string> Unmet,
    string? Basis,
    IReadOnlyList<string> Policies,
    JsonObject Engine)
{
    public IReadOnlyList<UnmetConditionDto> UnmetLabelled =>
        [.. Unmet.Select(u => new UnmetConditionDto(u, PermitEligibility.Label(u)))];
}

/// <param name="RegistrationId">The confirmed registration, the evidence of residence.</param>
/// <param name="RemoteArea">偏远地区: the policy's longer issuance period applies where it sets one.</param>
internal sealed record CheckEligibilityQuery(Guid? RegistrationId, EligibilityFacts? Facts, bool RemoteArea);

/// <summary>
/// May this registered person apply today? The answer is the contract engine's (docs/policy-evaluation.md), for a
/// case built from the confirmed registration's current version and the facts declared; residence duration counts
/// from the station's confirmation day. Declared as a read of the person's registration.
/// </summary>
internal sealed class CheckEligibilityUseCase(PermitStore store, PersonalDataLedger ledger)
{
    public async Task<Outcome<EligibilityDto>> HandleAsync(CheckEligibilityQuery query, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(actor);
        var loaded = await PermitEligibility.LoadRegistrationAsync(store, query.RegistrationId, cancellationToken);
        if (!loaded.TryGetValue(out var found, out var failure))
        {
            return failure;
        }

        var (registration, current) = found;
        var evaluated = PermitEligibility.Evaluate(store, registration, current.Record, query.Facts ?? new EligibilityFacts(), query.RemoteArea);
        if (!evaluated.TryGetValue(out var outcome, out failure))
        {
            return failure;
        }

        ledger.Read(new PersonRef(registration.PersonIdHmac, registration.ResidenceDivisionCode, registration.Id), ["eligibility"]);
        return new EligibilityDto(registration.Id, outcome.AsOf, outcome.Eligible, outcome.Earliest,
            outcome.UnmetLabelled, outcome.Basis, outcome.Policies, outcome.Engine);
    }
}

/// <summary>The eligibility check the apply step and the eligibility query share.</summary>
internal static class PermitEligibility
{
    /// <summary>
    /// Not a floating person under the policy (e.g. a move within one prefecture): the engine gives no permit
    /// answer, so the API reports this id with the engine's reason.
    /// </summary>
    public const string NotFloating = "floating";

    /// <summary>
    /// The registration in the caller's reach (query filters: a migrant's own, an official's jurisdiction),
    /// confirmed and still open, with its current version.
    /// </summary>
    public static async Task<Outcome<(Registration Registration, RegistrationVersion Current)>> LoadRegistrationAsync(
        PermitStore store, Guid? registrationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (registrationId is not { } id || id == Guid.Empty)
        {
            return Failure.Validation("registrationId", Messages.Format("Field_Required", Messages.Get("Label_RegistrationId")));
        }

        var registration = await store.Db.Registrations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (registration is null)
        {
            return RegistrationFailures.NotFound();
        }

        if (registration.Status != RegistrationStatus.Confirmed || registration.ConfirmedAt is null)
        {
            return Failure.Of(ErrorCode.PermitRegistrationNotConfirmed, "Error_PermitRegistrationNotConfirmed_Detail");
        }

        var current = await store.Db.RegistrationVersions.AsNoTracking()
            .FirstAsync(v => v.RegistrationId == id && v.Number == registration.Version, cancellationToken);
        return (registration, current);
    }

    /// <summary>The day the station confirmed the registration, in the law's time zone: the evidence of residence.</summary>
    public static DateOnly RegisteredOn(Registration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return LegalClock.DayOf(registration.ConfirmedAt!.Value);
    }

    /// <summary>Evaluates the permit case for today through the contract's engine.</summary>
    public static Outcome<EligibilityOutcome> Evaluate(
        PermitStore store, Registration registration, RegistrationRecord record, EligibilityFacts facts, bool remoteArea)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(facts);
        var asOf = store.Clock.Today;
        var json = Case(store, registration, record, facts, remoteArea, asOf);
        var (result, error) = store.Policies.EvaluateOne(json);
        if (error is not null)
        {
            // The case is built from stored, validated data, so the only expected rejection is a place without policy.
            return error.Field == "stay.residenceDivision"
                ? PermitFailures.NoPolicy(record.ResidenceDivisionCode)
                : Failure.Validation(error.Field, error.Message);
        }

        var engine = new JsonObject { ["version"] = Evaluator.Version, ["policyHashes"] = Hashes(result!.PolicyHashes) };
        if (result.Permit is not { } permit)
        {
            return new EligibilityOutcome(asOf, false, null, [NotFloating], result.Floating.Basis, result.Policies, engine);
        }

        return new EligibilityOutcome(asOf, permit.Eligible, permit.Earliest, permit.Unmet, permit.Basis, result.Policies, engine);
    }

    /// <summary>422 with the engine's answer as extensions (unmet, earliest, basis) and a zh-CN detail.</summary>
    public static Failure NotEligible(EligibilityOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var labels = outcome.UnmetLabelled;
        var detail = Messages.Format("Error_PermitNotEligible_Detail",
            string.Join("；", labels.Select(l => l.Label)),
            outcome.Earliest?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? Messages.Get("Permit_EarliestUnknown"),
            outcome.Basis ?? "");
        return new Failure(ErrorCode.PermitNotEligible, detail, Extensions: new Dictionary<string, object?>
        {
            ["unmet"] = labels,
            ["earliest"] = outcome.Earliest,
            ["basis"] = outcome.Basis,
            ["policies"] = outcome.Policies,
            ["engine"] = outcome.Engine,
        });
    }

    /// <summary>zh-CN label of an unmet condition id (Messages: PermitCondition_*).</summary>
    public static string Label(string id) => Messages.Get("PermitCondition_" + id);

    private static JsonElement Case(
        PermitStore store, Registration registration, RegistrationRecord record, EligibilityFacts facts, bool remoteArea, DateOnly asOf)
    {
        // The clear identity number lives only in this in-memory case (never logged or stored).
        var node = new JsonObject
        {
            ["asOf"] = Day(asOf),
            ["person"] = new JsonObject
            {
                ["idNumber"] = store.Protector.Decrypt(record.IdNumberCipher),
                ["birthDate"] = Day(record.BirthDate),
                ["sex"] = record.Sex,
                ["category"] = "mainland",
                ["hukouDivision"] = record.HukouDivisionCode,
            },
            ["stay"] = new JsonObject
            {
                ["residenceDivision"] = record.ResidenceDivisionCode,
                ["arrivedOn"] = Day(record.ArrivedOn),
                ["intendedDays"] = record.IntendedDays,
                ["purpose"] = record.Purpose,
                ["lodging"] = record.Lodging,
                ["remoteArea"] = remoteArea,
            },
            ["facts"] = new JsonObject
            {
                ["registeredOn"] = Day(RegisteredOn(registration)),
                ["socialInsuranceMonths"] = facts.SocialInsuranceMonths,
                ["laborContractMonths"] = facts.LaborContractMonths,
                ["businessLicenseMonths"] = facts.BusinessLicenseMonths,
                ["agriculturalContractMonths"] = facts.AgriculturalContractMonths,
                ["ownsHome"] = facts.OwnsHome,
                ["rentalContract"] = facts.RentalContract,
                ["employerDormitory"] = facts.EmployerDormitory,
                ["enrolledFullTime"] = facts.EnrolledFullTime,
                ["talentOrInvestor"] = facts.TalentOrInvestor,
            },
        };
        return JsonSerializer.SerializeToElement(node);
    }

    private static JsonObject Hashes(IReadOnlyDictionary<string, string> hashes)
    {
        var o = new JsonObject();
        foreach (var (id, hash) in hashes)
        {
            o[id] = hash;
        }

        return o;
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// The issuing organ's printed name from the division table: a 市辖区 is a branch of the city's bureau
    /// (太原市公安局小店分局), any other county-level unit has its own bureau (清徐县公安局); a municipality's
    /// districts likewise (北京市公安局东城分局). Names only; the real organ list is not in the tables.
    /// </summary>
    public static string AuthorityName(string divisionCode)
    {
        ArgumentNullException.ThrowIfNull(divisionCode);
        var table = DivisionTable.Default;
        var county = table.Find(divisionCode);
        if (county is null)
        {
            return divisionCode + "公安局";
        }

        var city = table.Prefecture(divisionCode);
        if (county.IsUrbanDistrict && city is not null && city.Code != county.Code)
        {
            var branch = county.Name.EndsWith('区') ? county.Name[..^1] : county.Name;
            return city.Name + "公安局" + branch + "分局";
        }

        return county.Name + "公安局";
    }
}
