using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Sojourn.Data.Permits;
using Sojourn.Domain;
using Sojourn.Rules.Permits;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Permits;

/// <summary>Who hands the application in: the person, or a guardian or close relative on their behalf.</summary>
public sealed record ApplicantInfo
{
    /// <summary>self | guardian | close-relative.</summary>
    public string? Relation { get; init; }

    /// <summary>The proxy's name (required unless self).</summary>
    public string? Name { get; init; }

    /// <summary>
    /// Why someone else applies: minor | elderly-limited-mobility | disabled-limited-mobility (the policy's
    /// proxyGrounds). Optional for a person under the policy's proxy age (minor is then implied); the officer
    /// sees the stated ground in the history and may ask for proof.
    /// </summary>
    public string? Ground { get; init; }
}

public sealed record ApplyRequest
{
    public Guid? RegistrationId { get; init; }
    public ApplicantInfo? Applicant { get; init; }

    /// <summary>Ids of the materials handed in (the policy's list, PermitTerms.Materials).</summary>
    public IReadOnlyList<string>? Materials { get; init; }

    public EligibilityFacts? Facts { get; init; }

    /// <summary>Mobile number for reminders (optional; stored SM4-encrypted).</summary>
    public string? Phone { get; init; }

    /// <summary>偏远地区: the policy's longer issuance period applies where it sets one.</summary>
    public bool RemoteArea { get; init; }
}

/// <summary>
/// POST /api/v1/permits: accepts an application (受理). The registration is the evidence of residence; the
/// engine decides eligibility (ineligible: 422, nothing saved); the issuance deadline runs from today under
/// the terms in force. One person, one permit: a second current application is refused by the database's
/// partial unique index (409).
/// </summary>
public static class ApplyForPermit
{
    public const string Self = "self";

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/", async (ApplyRequest request, HttpContext http, PermitContext ctx, CancellationToken ct) =>
            {
                var result = await HandleAsync(request, ctx, ct);
                if (result.Result is Created<PermitDto> created)
                {
                    Http.EntityTags.SetETag(http, created.Value!.Version);
                }

                return result;
            })
            .WithName("ApplyForPermit")
            .WithSummary("申领居住证（受理）")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    public static async Task<Results<Created<PermitDto>, ProblemHttpResult>> HandleAsync(
        ApplyRequest request, PermitContext ctx, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(ctx);
        var (registration, current, problem) = await PermitEligibility.LoadRegistrationAsync(ctx, request.RegistrationId, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var record = current!.Record;
        var today = ctx.Clock.Today;
        var terms = ctx.TermsFor(record.ResidenceDivisionCode, today);
        if (terms is null)
        {
            return PermitContext.NoPolicy(record.ResidenceDivisionCode);
        }

        var errors = new FieldErrors();
        var relation = string.IsNullOrWhiteSpace(request.Applicant?.Relation) ? Self : request.Applicant!.Relation.Trim();
        var applicantName = request.Applicant?.Name?.Trim();
        string? ground = null;
        if (relation != Self)
        {
            ground = CheckProxy(ctx, record.IdNumberCipher, relation, applicantName, request.Applicant?.Ground?.Trim(), terms, today, errors);
        }

        CheckMaterials(request.Materials, terms, errors);
        var phone = request.Phone?.Trim();
        if (!string.IsNullOrEmpty(phone) && (phone.Length is < 5 or > 20 || !phone.All(c => char.IsAsciiDigit(c) || c is '+' or '-')))
        {
            errors.Add("phone", "Permit_PhoneFormat");
        }

        if (errors.Any)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }

        var facts = request.Facts ?? new EligibilityFacts();
        var (outcome, error) = PermitEligibility.Evaluate(ctx, registration!, record, facts, request.RemoteArea);
        if (error is not null)
        {
            return error;
        }

        if (!outcome!.Eligible)
        {
            return NotEligible(outcome);
        }

        var issueDue = ctx.Lifecycle.IssueDue(terms, record.ResidenceDivisionCode, today, request.RemoteArea);
        var issuePeriod = request.RemoteArea && terms.IssueWithinRemote is { } remote ? remote : terms.IssueWithin;
        var division = record.ResidenceDivisionCode;
        var permit = PermitContext.FromRegistration(registration!, record, PermitKind.FirstIssue, PermitStatus.Applied,
            PermitEligibility.AuthorityName(division[..6]), ctx.Clock.UtcNow, ctx.Actor);
        permit.PhoneCipher = string.IsNullOrEmpty(phone) ? null : ctx.Protector.Encrypt(phone);
        permit.RemoteArea = request.RemoteArea;
        permit.PolicyId = terms.PolicyId;
        permit.ApplicantRelation = relation;
        permit.ApplicantName = relation == Self ? record.Name : applicantName;
        permit.Materials = string.Join(',', request.Materials!.Select(m => m.Trim()).Distinct(StringComparer.Ordinal));
        permit.FactsJson = JsonSerializer.Serialize(facts, PermitContext.JsonOptions);
        permit.AppliedOn = today;
        permit.IssueDue = issueDue;
        ctx.Db.Permits.Add(permit);
        var basis = Bases(outcome.Basis, issuePeriod.Basis);
        permit.Applied(ctx.Step(today, basis, terms, new
        {
            eligibility = new
            {
                outcome.AsOf,
                outcome.Eligible,
                outcome.Earliest,
                outcome.Unmet,
                outcome.Basis,
                outcome.Policies,
                registeredOn = PermitEligibility.RegisteredOn(registration!),
                facts,
            },
            issueDue = new { due = issueDue, period = issuePeriod.Value.ToString(), basis = issuePeriod.Basis, note = issuePeriod.Note, remoteArea = request.RemoteArea },
            applicant = new { relation, name = permit.ApplicantName, ground, groundBasis = ground is null ? null : terms.ProxyGrounds.Basis },
            materials = permit.Materials.Split(',', StringSplitOptions.RemoveEmptyEntries),
        }, engine: outcome.Engine));

        var saved = await ctx.SaveAsync(permit.Id, null, cancellationToken, terms.OnePermitPerPerson);
        if (saved is not null)
        {
            return saved;
        }

        return TypedResults.Created($"/api/v1/permits/{permit.Id}", ctx.ToDto(permit));
    }

    /// <summary>422 with the engine's answer as extensions (unmet, earliest, basis) and a zh-CN detail.</summary>
    public static ProblemHttpResult NotEligible(EligibilityOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var labels = outcome.UnmetLabelled;
        var detail = Messages.Format("Error_PermitNotEligible_Detail",
            string.Join("；", labels.Select(l => l.Label)),
            outcome.Earliest?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? Messages.Get("Permit_EarliestUnknown"),
            outcome.Basis ?? "");
        var problem = ApiProblems.Create(ErrorCode.PermitNotEligible, detail);
        problem.Extensions["unmet"] = labels;
        problem.Extensions["earliest"] = outcome.Earliest;
        problem.Extensions["basis"] = outcome.Basis;
        problem.Extensions["policies"] = outcome.Policies;
        problem.Extensions["engine"] = outcome.Engine;
        return TypedResults.Problem(problem);
    }

    /// <summary>Comma-separated citations, each once, in order.</summary>
    public static string Bases(params string?[] bases) =>
        string.Join(',', bases.Where(b => !string.IsNullOrEmpty(b))
            .SelectMany(b => b!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal));

    /// <summary>
    /// A proxy application needs a relation and a ground the policy names (cn-2016 第九条第三款: a minor under
    /// 16, or an elderly or disabled person with limited mobility); returns the ground accepted.
    /// </summary>
    private static string? CheckProxy(
        PermitContext ctx, string idCipher, string relation, string? applicantName, string? ground, PermitTerms terms, DateOnly today,
        FieldErrors errors)
    {
        if (terms.ProxyRelations.Value.Count == 0 || terms.ProxyGrounds.Value.Count == 0)
        {
            // 山西2013 第十六條: 未滿16周歲的公民應隨其監護人登記，不領取居住證 — nobody applies for another.
            errors.Add("applicant.relation", "Permit_ProxyNone", terms.ProxyRelations.Basis);
            return null;
        }

        if (!terms.ProxyRelations.Value.Contains(relation))
        {
            errors.Add("applicant.relation", "Permit_ProxyRelation",
                string.Join("、", terms.ProxyRelations.Value.Select(r => Messages.Get("PermitRelation_" + r))), terms.ProxyRelations.Basis);
            return null;
        }

        // Age from the identity number itself (GB 11643), the document the station checks.
        var age = CitizenId.Parse(ctx.Protector.Decrypt(idCipher), today).AgeOn(today);
        var minor = terms.ProxyUnderAge is { } under && age < under.Value;
        if (string.IsNullOrEmpty(ground))
        {
            ground = minor && terms.ProxyGrounds.Value.Contains(Minor) ? Minor : null;
            if (ground is null)
            {
                errors.Add("applicant.ground", "Permit_ProxyGround", Grounds(terms), terms.ProxyGrounds.Basis);
                return null;
            }
        }
        else if (!terms.ProxyGrounds.Value.Contains(ground))
        {
            errors.Add("applicant.ground", "Permit_ProxyGround", Grounds(terms), terms.ProxyGrounds.Basis);
            return null;
        }
        else if (ground == Minor && !minor)
        {
            errors.Add("applicant.ground", "Permit_ProxyAge", terms.ProxyUnderAge?.Value ?? 0, terms.ProxyUnderAge?.Basis ?? terms.ProxyGrounds.Basis);
            return null;
        }

        if (string.IsNullOrWhiteSpace(applicantName))
        {
            errors.Add("applicant.name", "Field_Required", Messages.Get("Label_ApplicantName"));
        }

        return ground;
    }

    private const string Minor = "minor";

    private static string Grounds(PermitTerms terms) =>
        string.Join("、", terms.ProxyGrounds.Value.Select(g => $"{g}（{Messages.Get("PermitProxyGround_" + g)}）"));

    private static void CheckMaterials(IReadOnlyList<string>? handedIn, PermitTerms terms, FieldErrors errors)
    {
        var given = new HashSet<string>((handedIn ?? []).Select(m => m?.Trim() ?? ""), StringComparer.Ordinal);
        var known = terms.Materials.Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var unknown in given.Where(m => !known.Contains(m)))
        {
            errors.Add("materials", "Permit_MaterialUnknown", unknown, string.Join("、", terms.Materials.Select(m => $"{m.Value}（{m.Note}）")));
        }

        foreach (var missing in terms.Materials.Where(m => !given.Contains(m.Value)))
        {
            errors.Add("materials", "Permit_MaterialMissing", missing.Note ?? missing.Value, missing.Basis);
        }
    }
}
