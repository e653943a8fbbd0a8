using System.Text.Json;
using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Data.Permits;
using Sojourn.Domain;
using Sojourn.Rules.Permits;

namespace Sojourn.Application.Permits;

/// <summary>Who hands the application in: the person, or a guardian or close relative on their behalf.</summary>
internal sealed record ApplicantInfo
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

/// <param name="Materials">Ids of the materials handed in (the policy's list, PermitTerms.Materials).</param>
/// <param name="Phone">Mobile number for reminders (optional; stored SM4-encrypted).</param>
/// <param name="RemoteArea">偏远地区: the policy's longer issuance period applies where it sets one.</param>
internal sealed record ApplyForPermitCommand(
    Guid? RegistrationId, ApplicantInfo? Applicant, IReadOnlyList<string>? Materials, EligibilityFacts? Facts, string? Phone, bool RemoteArea);

/// <summary>
/// Accepts an application (受理). The registration is the evidence of residence; the engine decides eligibility
/// (ineligible: 422, nothing saved); the issuance deadline runs from today under the terms in force. One person, one
/// permit: a second current application is refused by the database's partial unique index (409).
/// </summary>
internal sealed class ApplyForPermitUseCase(PermitStore store, PersonalDataLedger ledger)
{
    public const string Self = "self";

    private const string Minor = "minor";

    public async Task<Outcome<PermitDto>> HandleAsync(ApplyForPermitCommand command, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var loaded = await PermitEligibility.LoadRegistrationAsync(store, command.RegistrationId, cancellationToken);
        if (!loaded.TryGetValue(out var found, out var failure))
        {
            return failure;
        }

        var (registration, current) = found;
        var record = current.Record;
        var today = store.Clock.Today;
        var terms = store.TermsFor(record.ResidenceDivisionCode, today);
        if (terms is null)
        {
            return PermitFailures.NoPolicy(record.ResidenceDivisionCode);
        }

        var errors = new FieldErrors();
        var relation = string.IsNullOrWhiteSpace(command.Applicant?.Relation) ? Self : command.Applicant!.Relation.Trim();
        var applicantName = command.Applicant?.Name?.Trim();
        string? ground = null;
        if (relation != Self)
        {
            ground = CheckProxy(record.IdNumberCipher, relation, applicantName, command.Applicant?.Ground?.Trim(), terms, today, errors);
        }

        CheckMaterials(command.Materials, terms, errors);
        var phone = command.Phone?.Trim();
        if (!string.IsNullOrEmpty(phone) && (phone.Length is < 5 or > 20 || !phone.All(c => char.IsAsciiDigit(c) || c is '+' or '-')))
        {
            errors.Add("phone", "Permit_PhoneFormat");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var facts = command.Facts ?? new EligibilityFacts();
        var evaluated = PermitEligibility.Evaluate(store, registration, record, facts, command.RemoteArea);
        if (!evaluated.TryGetValue(out var outcome, out failure))
        {
            return failure;
        }

        if (!outcome.Eligible)
        {
            return PermitEligibility.NotEligible(outcome);
        }

        var issueDue = store.Lifecycle.IssueDue(terms, record.ResidenceDivisionCode, today, command.RemoteArea);
        var issuePeriod = command.RemoteArea && terms.IssueWithinRemote is { } remote ? remote : terms.IssueWithin;
        var division = record.ResidenceDivisionCode;
        var permit = Permit.Apply(registration, record, PermitEligibility.AuthorityName(division[..6]), new PermitApplication(terms.PolicyId, today, issueDue)
        {
            PhoneCipher = string.IsNullOrEmpty(phone) ? null : store.Protector.Encrypt(phone),
            RemoteArea = command.RemoteArea,
            ApplicantRelation = relation,
            ApplicantName = relation == Self ? record.Name : applicantName,
            Materials = string.Join(',', command.Materials!.Select(m => m.Trim()).Distinct(StringComparer.Ordinal)),
            FactsJson = JsonSerializer.Serialize(facts, PermitHistoryHandler.JsonOptions),
        }, store.Clock.UtcNow, actor.Label);
        store.Db.Permits.Add(permit);
        var basis = PermitCitations.Bases(outcome.Basis, issuePeriod.Basis);
        permit.Applied(store.Step(today, basis, terms, new
        {
            eligibility = new
            {
                outcome.AsOf,
                outcome.Eligible,
                outcome.Earliest,
                outcome.Unmet,
                outcome.Basis,
                outcome.Policies,
                registeredOn = PermitEligibility.RegisteredOn(registration),
                facts,
            },
            issueDue = new { due = issueDue, period = issuePeriod.Value.ToString(), basis = issuePeriod.Basis, note = issuePeriod.Note, remoteArea = command.RemoteArea },
            applicant = new { relation, name = permit.ApplicantName, ground, groundBasis = ground is null ? null : terms.ProxyGrounds.Basis },
            materials = permit.Materials.Split(',', StringSplitOptions.RemoveEmptyEntries),
        }, engine: outcome.Engine));

        if (await store.SaveOnePermitAsync(permit.Id, null, terms.OnePermitPerPerson, cancellationToken) is { } saved)
        {
            return saved;
        }

        ledger.Wrote(PermitMapper.Person(permit), ["permit", "applicant", "materials", "facts", "phone"]);
        return PermitMapper.ToDto(permit);
    }

    /// <summary>
    /// A proxy application needs a relation and a ground the policy names (cn-2016 第九条第三款: a minor under
    /// 16, or an elderly or disabled person with limited mobility); returns the ground accepted.
    /// </summary>
    private string? CheckProxy(
        string idCipher, string relation, string? applicantName, string? ground, PermitTerms terms, DateOnly today, FieldErrors errors)
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
        var age = CitizenId.Parse(store.Protector.Decrypt(idCipher), today).AgeOn(today);
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
