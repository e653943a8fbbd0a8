using System.Text.RegularExpressions;
using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Data.Permits;

namespace Sojourn.Application.Permits;

/// <param name="Reason">告知并说明理由: the reason, in words.</param>
/// <param name="Basis">Articles the refusal rests on, in the contract's form (<c>shanxi-2017#9</c>).</param>
internal sealed record RefusePermitCommand(Guid PermitId, int? ExpectedVersion, string? Reason, IReadOnlyList<string>? Basis);

/// <summary>
/// The station refuses to issue (不予发放) with a reason and its articles; the notice (告知并说明理由) is rendered from
/// the stored reason and basis.
/// </summary>
internal sealed partial class RefusePermitUseCase(PermitStore store, PersonalDataLedger ledger)
{
    public async Task<Outcome<PermitDto>> HandleAsync(RefusePermitCommand command, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var loaded = await store.LoadOpenAsync(command.PermitId, command.ExpectedVersion, "refuse", cancellationToken);
        if (!loaded.TryGetValue(out var permit, out var failure))
        {
            return failure;
        }

        var errors = new FieldErrors();
        var reason = command.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            errors.Add("reason", "Field_Required", Messages.Get("Label_RefusalReason"));
        }
        else if (reason.Length > PermitHistoryHandler.ReasonLength)
        {
            errors.Add("reason", "Permit_ReasonTooLong", PermitHistoryHandler.ReasonLength);
        }

        var basis = (command.Basis ?? []).Select(b => b?.Trim() ?? "").Where(b => b.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (basis.Count == 0)
        {
            errors.Add("basis", "Field_Required", Messages.Get("Label_RefusalBasis"));
        }
        else if (basis.Any(b => !Citation().IsMatch(b)) || string.Join(',', basis).Length > Data.Validation.ColumnLengths.Basis)
        {
            errors.Add("basis", "Permit_BasisFormat");
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var today = store.Clock.Today;
        var terms = store.TermsFor(permit.ResidenceDivisionCode, today);
        var refusalBasis = string.Join(',', basis);
        permit.Refuse(today, reason!, refusalBasis, store.Step(today, refusalBasis, terms, new
        {
            decidedOn = today,
            issueDue = permit.IssueDue,
            deadlineMet = today <= permit.IssueDue,
            basis,
        }, reason));
        if (await store.SaveAsync(permit.Id, null, cancellationToken) is { } saved)
        {
            return saved;
        }

        ledger.Wrote(PermitMapper.Person(permit), ["status", "refusalReason", "refusalBasis"]);
        return PermitMapper.ToDto(permit);
    }

    /// <summary><c>policy-id#article</c>: the article an Arabic number or an outline path (taizhou-2016#2.2.1).</summary>
    [GeneratedRegex(@"^[a-z][a-z0-9-]{1,30}#[0-9]+(\.[0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Citation();
}
