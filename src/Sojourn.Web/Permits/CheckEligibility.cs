using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sojourn.Data.Registrations;
using Sojourn.Rules.Divisions;
using Sojourn.Rules.Evaluation;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Permits;

/// <summary>The eligibility facts a person declares (the policy case's <c>facts</c>, contract vocabulary).</summary>
public sealed record EligibilityFacts
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

public sealed record EligibilityRequest
{
    public Guid? RegistrationId { get; init; }
    public EligibilityFacts? Facts { get; init; }
    public bool RemoteArea { get; init; }
}

/// <summary>One condition not met, with its zh-CN label.</summary>
public sealed record UnmetConditionDto(string Id, string Label);

/// <summary>The engine's permit answer for a registration and declared facts, with the engine stamp.</summary>
public sealed record EligibilityDto(
    Guid RegistrationId,
    DateOnly AsOf,
    bool Eligible,
    DateOnly? Earliest,
    IReadOnlyList<UnmetConditionDto> Unmet,
    string? Basis,
    IReadOnlyList<string> Policies,
    JsonNode Engine);

/// <summary>What the evaluation of a permit case answered (kept in the "applied" event).</summary>
public sealed record EligibilityOutcome(
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

/// <summary>
/// POST /api/v1/permits/eligibility: may this registered person apply today? The answer is the contract
/// engine's (docs/policy-evaluation.md), for a case built from the confirmed registration's current version
/// and the facts declared; residence duration counts from the station's confirmation day.
/// </summary>
public static class PermitEligibility
{
    /// <summary>
    /// Not a floating person under the policy (e.g. a move within one prefecture): the engine gives no permit
    /// answer, so the API reports this id with the engine's reason.
    /// </summary>
    public const string NotFloating = "floating";

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/eligibility", async (EligibilityRequest request, PermitContext ctx, CancellationToken ct) =>
            {
                ArgumentNullException.ThrowIfNull(request);
                var (registration, current, problem) = await LoadRegistrationAsync(ctx, request.RegistrationId, ct);
                if (problem is not null)
                {
                    return (Results<Ok<EligibilityDto>, ProblemHttpResult>)problem;
                }

                var (outcome, error) = Evaluate(ctx, registration!, current!.Record, request.Facts ?? new EligibilityFacts(), request.RemoteArea);
                if (error is not null)
                {
                    return error;
                }

                return TypedResults.Ok(new EligibilityDto(registration!.Id, outcome!.AsOf, outcome.Eligible, outcome.Earliest,
                    outcome.UnmetLabelled, outcome.Basis, outcome.Policies, outcome.Engine));
            })
            .WithName("CheckPermitEligibility")
            .NotReplayed()
            .WithSummary("居住证申领条件核验（按居住地政策）")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    /// <summary>
    /// The registration in the caller's reach (query filters: a migrant's own, an official's jurisdiction),
    /// confirmed and still open, with its current version.
    /// </summary>
    public static async Task<(Data.Registrations.Registration? Registration, RegistrationVersion? Current, ProblemHttpResult? Problem)>
        LoadRegistrationAsync(PermitContext ctx, Guid? registrationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (registrationId is not { } id || id == Guid.Empty)
        {
            return (null, null, ApiProblems.Validation("registrationId", Messages.Format("Field_Required", Messages.Get("Label_RegistrationId"))));
        }

        var registration = await ctx.Db.Registrations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (registration is null)
        {
            return (null, null, Registration.RegistrationContext.NotFound());
        }

        if (registration.Status != RegistrationStatus.Confirmed || registration.ConfirmedAt is null)
        {
            return (null, null, ApiProblems.Result(ErrorCode.PermitRegistrationNotConfirmed, Messages.Get("Error_PermitRegistrationNotConfirmed_Detail")));
        }

        var current = await ctx.Db.RegistrationVersions.AsNoTracking()
            .FirstAsync(v => v.RegistrationId == id && v.Number == registration.Version, cancellationToken);
        return (registration, current, null);
    }

    /// <summary>The day the station confirmed the registration, in the law's time zone: the evidence of residence.</summary>
    public static DateOnly RegisteredOn(Data.Registrations.Registration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return ChinaClock.DayOf(registration.ConfirmedAt!.Value);
    }

    /// <summary>Evaluates the permit case for today through the contract's engine.</summary>
    public static (EligibilityOutcome? Outcome, ProblemHttpResult? Problem) Evaluate(
        PermitContext ctx, Data.Registrations.Registration registration, RegistrationRecord record, EligibilityFacts facts, bool remoteArea)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(facts);
        var asOf = ctx.Clock.Today;
        var json = Case(ctx, registration, record, facts, remoteArea, asOf);
        var (result, error) = ctx.Policies.EvaluateOne(json);
        if (error is not null)
        {
            // The case is built from stored, validated data, so the only expected rejection is a place without policy.
            return (null, error.Field == "stay.residenceDivision"
                ? PermitContext.NoPolicy(record.ResidenceDivisionCode)
                : ApiProblems.Validation(error.Field, error.Message));
        }

        var engine = new JsonObject { ["version"] = Evaluator.Version, ["policyHashes"] = Hashes(result!.PolicyHashes) };
        if (result.Permit is not { } permit)
        {
            return (new EligibilityOutcome(asOf, false, null, [NotFloating], result.Floating.Basis, result.Policies, engine), null);
        }

        return (new EligibilityOutcome(asOf, permit.Eligible, permit.Earliest, permit.Unmet, permit.Basis, result.Policies, engine), null);
    }

    /// <summary>zh-CN label of an unmet condition id (Messages: PermitCondition_*).</summary>
    public static string Label(string id) => Messages.Get("PermitCondition_" + id);

    private static JsonElement Case(
        PermitContext ctx, Data.Registrations.Registration registration, RegistrationRecord record, EligibilityFacts facts,
        bool remoteArea, DateOnly asOf)
    {
        // The clear identity number lives only in this in-memory case (never logged or stored).
        var node = new JsonObject
        {
            ["asOf"] = Day(asOf),
            ["person"] = new JsonObject
            {
                ["idNumber"] = ctx.Protector.Decrypt(record.IdNumberCipher),
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
