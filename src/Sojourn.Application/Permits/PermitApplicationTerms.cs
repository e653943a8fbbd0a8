using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Data.Permits;

namespace Sojourn.Application.Permits;

internal sealed record PermitApplicationTermsQuery(Guid? RegistrationId);

/// <summary>One item the policy names (a material to hand in, a relation who may apply), with its zh-CN label and article.</summary>
internal sealed record CitedItemDto(string Id, string Label, string Basis);

/// <summary>
/// What the policy in force at the registration's residence asks of an application: the materials, the issuance
/// period, the fee and who may apply on someone's behalf, each with its basis. Values come from the policy files.
/// </summary>
internal sealed record PermitApplicationTermsDto(
    Guid RegistrationId,
    string ResidenceDivision,
    string PolicyId,
    IReadOnlyList<string> Policies,
    IReadOnlyList<CitedItemDto> Materials,
    string IssueWithin,
    string IssueWithinBasis,
    string? IssueWithinRemote,
    string? IssueWithinRemoteBasis,
    int? FeeYuan,
    string? FeeBasis,
    IReadOnlyList<string> ProxyRelations,
    string ProxyRelationsBasis);

/// <summary>
/// The application form's terms for a confirmed registration (the same terms ApplyForPermit checks against), so a page
/// shows what to bring before the person applies. Declared as a read of the registration's residence.
/// </summary>
internal sealed class PermitApplicationTermsUseCase(PermitStore store, PersonalDataLedger ledger)
{
    public async Task<Outcome<PermitApplicationTermsDto>> HandleAsync(PermitApplicationTermsQuery query, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(actor);
        var loaded = await PermitEligibility.LoadRegistrationAsync(store, query.RegistrationId, cancellationToken);
        if (!loaded.TryGetValue(out var found, out var failure))
        {
            return failure;
        }

        var (registration, _) = found;
        var division = registration.ResidenceDivisionCode;
        if (store.TermsFor(division) is not { } terms)
        {
            return PermitFailures.NoPolicy(division);
        }

        ledger.Read(new PersonRef(registration.PersonIdHmac, division, registration.Id), ["residenceDivision"]);
        var fee = terms.Fees.TryGetValue(PermitKind.FirstIssue, out var f) ? f : null;
        return new PermitApplicationTermsDto(
            registration.Id,
            division,
            terms.PolicyId,
            terms.Policies,
            [.. terms.Materials.Select(m => new CitedItemDto(m.Value, m.Note ?? m.Value, m.Basis))],
            terms.IssueWithin.Value.ToChinese(),
            terms.IssueWithin.Basis,
            terms.IssueWithinRemote?.Value.ToChinese(),
            terms.IssueWithinRemote?.Basis,
            fee?.Value,
            fee?.Basis,
            terms.ProxyRelations.Value,
            terms.ProxyRelations.Basis);
    }
}
