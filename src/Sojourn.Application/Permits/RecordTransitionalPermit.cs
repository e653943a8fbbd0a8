using Microsoft.EntityFrameworkCore;
using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Application.Registrations;
using Sojourn.Data.Permits;
using Sojourn.Data.Registrations;
using Sojourn.Rules.Evaluation;

namespace Sojourn.Application.Permits;

/// <param name="PolicyId">The earlier policy the document was issued under (e.g. <c>shanxi-2013</c>).</param>
/// <param name="DocumentKind">permit (居住证) | temporary-residence (暂住证).</param>
/// <param name="AuthorityName">The issuing organ printed on the document.</param>
internal sealed record RecordTransitionalPermitCommand(
    Guid? RegistrationId, string? PolicyId, string? DocumentKind, string? PermitNumber, DateOnly? IssuedOn, DateOnly? ValidUntil,
    string? AuthorityName, string? Reason);

/// <summary>
/// A permit or 暂住证 issued under an earlier policy, recorded for a registered person where the policy now in
/// force keeps such documents valid until their own expiry (山西2017 第三十九条, 山西2013 第四十六条). The row is
/// Kind transitional, status valid, with the old number and dates; the sweep expires it after ValidUntil. A
/// residence permit keeps the annual endorsement under the current terms (the next window from its issue
/// day's anniversaries); a 暂住证 had none and gets none.
/// </summary>
internal sealed class RecordTransitionalPermitUseCase(PermitStore store, PersonalDataLedger ledger)
{
    public const string PermitDocument = "permit";
    public const string TemporaryResidenceDocument = "temporary-residence";
    private const int MaxNumber = 32;

    public async Task<Outcome<PermitDto>> HandleAsync(RecordTransitionalPermitCommand command, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var today = store.Clock.Today;
        var documentKind = command.DocumentKind ?? PermitDocument;
        if (documentKind is not (PermitDocument or TemporaryResidenceDocument))
        {
            return PermitFailures.Invalid("documentKind", "Permit_Transitional_KindInvalid", $"{PermitDocument} | {TemporaryResidenceDocument}");
        }

        var number = command.PermitNumber?.Trim();
        if (string.IsNullOrEmpty(number) || number.Length > MaxNumber)
        {
            return PermitFailures.Invalid("permitNumber", "Permit_FieldRequired", "permitNumber");
        }

        if (command.IssuedOn is not { } issuedOn || issuedOn > today)
        {
            return PermitFailures.Invalid("issuedOn", command.IssuedOn is null ? "Permit_FieldRequired" : "Permit_DayInFuture", "issuedOn");
        }

        if (command.ValidUntil is not { } validUntil)
        {
            return PermitFailures.Invalid("validUntil", "Permit_FieldRequired", "validUntil");
        }

        if (validUntil < issuedOn)
        {
            return PermitFailures.Invalid("validUntil", "Permit_EndsBeforeStart", "validUntil", "issuedOn");
        }

        if (string.IsNullOrWhiteSpace(command.AuthorityName) || command.AuthorityName.Length > Data.Validation.ColumnLengths.AuthorityName)
        {
            return PermitFailures.Invalid("authorityName", "Permit_FieldRequired", "authorityName");
        }

        if (command.RegistrationId is not { } registrationId)
        {
            return PermitFailures.Invalid("registrationId", "Permit_FieldRequired", "registrationId");
        }

        var registration = await store.Db.Registrations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == registrationId, cancellationToken);
        if (registration is null)
        {
            return RegistrationFailures.NotFound();
        }

        if (registration.Status != RegistrationStatus.Confirmed || registration.StationCode is null)
        {
            return Failure.Of(ErrorCode.PermitRegistrationNotConfirmed, "Error_PermitRegistrationNotConfirmed_Detail");
        }

        var division = registration.ResidenceDivisionCode;
        var terms = store.TermsFor(division, today);
        if (terms is null)
        {
            return PermitFailures.NoPolicy(division);
        }

        if (!terms.EarlierPermitsStayValid.Value)
        {
            return PermitFailures.Problem(ErrorCode.PermitTransitionalNotAllowed, "Error_PermitTransitionalNotAllowed_Detail",
                terms.PolicyId, terms.EarlierPermitsStayValid.Basis);
        }

        // The earlier policy: a known one, in force at this place on the issue day, and not the one in force now.
        var earlier = command.PolicyId is null ? null : PolicyCatalog.Default.Find(command.PolicyId);
        if (earlier is null || !earlier.InForceOn(issuedOn) || terms.Policies.Contains(earlier.Id)
            || !(earlier.Nationwide || earlier.Territory.Any(t => division.StartsWith(t, StringComparison.Ordinal))))
        {
            return PermitFailures.Invalid("policyId", "Permit_Transitional_PolicyInvalid", command.PolicyId, PermitCitations.Iso(issuedOn), division);
        }

        if (validUntil < today)
        {
            return PermitFailures.Problem(ErrorCode.PermitTransitionalNotAllowed, "Error_PermitTransitionalExpired_Detail",
                PermitCitations.Iso(validUntil), terms.EarlierPermitsStayValid.Basis);
        }

        if (await store.Db.Permits.IgnoreQueryFilters().AnyAsync(p => p.PermitNumber == number, cancellationToken))
        {
            return PermitFailures.Invalid("permitNumber", "Permit_Transitional_NumberTaken");
        }

        var record = (await store.Db.RegistrationVersions.AsNoTracking().Where(v => v.RegistrationId == registrationId)
            .OrderByDescending(v => v.Number).FirstAsync(cancellationToken)).Record;
        var issue = new PermitIssue(PermitStatus.Valid)
        {
            PermitNumber = number,
            DecidedOn = today,
            IssuedOn = issuedOn,
            ValidUntil = validUntil,
            ResidenceCountsFrom = issuedOn,
        };
        if (documentKind == PermitDocument)
        {
            // The next endorsement still open (earlier years were the old system's business).
            var year = 1;
            var window = store.Lifecycle.Endorsement(terms, issuedOn, year);
            while (window.Due < today)
            {
                window = store.Lifecycle.Endorsement(terms, issuedOn, ++year);
            }

            issue = issue with { EndorsementAnchor = issuedOn, EndorsementsDone = year - 1, EndorsementOpens = window.Opens, EndorsementDue = window.Due };
        }

        var permit = Permit.AsItWas(PermitKind.Transitional, PermitHolder.From(record), PermitResidence.From(registration, record),
            registration.ResidenceDivisionCode[..6], command.AuthorityName.Trim(), new PermitApplication(earlier.Id, issuedOn, issuedOn), issue,
            store.Clock.UtcNow, actor.Label);

        store.Db.Permits.Add(permit);
        permit.Recorded(store.Step(today, PermitCitations.Basis(terms.EarlierPermitsStayValid.Basis), terms, new
        {
            documentKind,
            earlierPolicy = earlier.Id,
            earlierPolicyTitle = earlier.Title,
            permitNumber = number,
            issuedOn,
            validUntil,
            authorityName = permit.AuthorityName,
            endorsementOpens = permit.EndorsementOpens,
            endorsementDue = permit.EndorsementDue,
            endorsementBasis = documentKind == PermitDocument ? terms.EndorseEvery.Basis : null,
        }, command.Reason?.Trim()));
        if (await store.SaveOnePermitAsync(permit.Id, null, null, cancellationToken) is { } saved)
        {
            return saved;
        }

        ledger.Wrote(PermitMapper.Person(permit), ["permit", "permitNumber", "validUntil"]);
        return PermitMapper.ToDto(permit);
    }
}
