using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Rules.Permits;

namespace Sojourn.Application.Permits;

/// <param name="LeftOn">The day the holder left (or will leave, within the policy's period before leaving).</param>
internal sealed record NotifyDepartureCommand(Guid PermitId, int? ExpectedVersion, DateOnly? LeftOn, bool OldCardSurrendered, string? Reason);

/// <param name="ReturnedOn">The day the holder came back (default today).</param>
internal sealed record RecordReturnCommand(Guid PermitId, int? ExpectedVersion, DateOnly? ReturnedOn, string? Reason);

/// <summary>
/// The holder leaves the residence city (离开登记) and perhaps comes back. Where the policy has a return
/// exception (山西2017 第十八条第四款: back within 30 days, no cancellation) the permit stays valid and the
/// cancellation is pending until the exception ends; a return inside it clears the departure. Where the
/// policy has none, the departure cancels the permit at once: nothing would keep it alive, and a holder who
/// notified the station has done what the cancellation needs from them.
/// </summary>
internal sealed class DepartureAndReturnUseCase(PermitStore store, PersonalDataLedger ledger)
{
    public async Task<Outcome<PermitDto>> DepartAsync(NotifyDepartureCommand command, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var loaded = await store.LoadForUpdateAsync(command.PermitId, command.ExpectedVersion, cancellationToken);
        if (!loaded.TryGetValue(out var permit, out var failure))
        {
            return failure;
        }

        if (command.LeftOn is not { } leftOn)
        {
            return PermitFailures.Invalid("leftOn", "Permit_FieldRequired", "leftOn");
        }

        if (!permit.IsOpen("departure"))
        {
            return PermitFailures.WrongStatus(permit, "departure");
        }

        if (permit.LeftOn is { } already)
        {
            return PermitFailures.Problem(ErrorCode.PermitDepartureState, "Error_PermitAlreadyDeparted_Detail", PermitCitations.Iso(already));
        }

        var today = store.Clock.Today;
        var terms = store.TermsFor(permit.ResidenceDivisionCode, leftOn <= today ? leftOn : today);
        if (terms is null)
        {
            return PermitFailures.NoPolicy(permit.ResidenceDivisionCode);
        }

        // A departure may be announced ahead only within the policy's period before leaving (自离开前10日内).
        if (leftOn > today && (terms.CancelBeforeLeaving is not { } before || Rules.Periods.PeriodMath.WindowStart(leftOn, before.Value) > today))
        {
            return PermitFailures.Invalid("leftOn", "Permit_DayInFuture", "leftOn");
        }

        var details = new Dictionary<string, object?> { ["oldCardSurrendered"] = command.OldCardSurrendered };
        var basis = PermitSteps.Departure(store.Lifecycle, terms, permit, leftOn, today, details);
        var pending = PermitDecisions.Departure(store.Lifecycle, terms, permit.ResidenceDivisionCode, leftOn, today).CancellationPending;
        details["cancellationPending"] = pending;
        permit.Depart(leftOn, store.Step(leftOn, basis, terms, details, command.Reason?.Trim()));
        if (!pending)
        {
            // No return exception (or it has already run out): the departure is the cancellation.
            var cancel = new Dictionary<string, object?> { ["ground"] = "left", ["final"] = false, ["oldCardSurrendered"] = command.OldCardSurrendered };
            PermitGrounds.Cancel(store, permit, terms, leftOn, PermitSteps.Departure(store.Lifecycle, terms, permit, leftOn, today, cancel), cancel, command.Reason);
        }

        if (await store.SaveAsync(permit.Id, null, cancellationToken) is { } saved)
        {
            return saved;
        }

        ledger.Wrote(PermitMapper.Person(permit), ["status", "leftOn"]);
        return PermitMapper.ToDto(permit);
    }

    public async Task<Outcome<PermitDto>> ReturnAsync(RecordReturnCommand command, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var loaded = await store.LoadOpenAsync(command.PermitId, command.ExpectedVersion, "return", cancellationToken);
        if (!loaded.TryGetValue(out var permit, out var failure))
        {
            return failure;
        }

        if (permit.LeftOn is not { } leftOn)
        {
            return PermitFailures.Problem(ErrorCode.PermitDepartureState, "Error_PermitNotDeparted_Detail");
        }

        var today = store.Clock.Today;
        var returnedOn = command.ReturnedOn ?? today;
        if (returnedOn > today)
        {
            return PermitFailures.Invalid("returnedOn", "Permit_DayInFuture", "returnedOn");
        }

        var terms = store.TermsFor(permit.ResidenceDivisionCode, leftOn <= today ? leftOn : today);
        if (terms is null)
        {
            return PermitFailures.NoPolicy(permit.ResidenceDivisionCode);
        }

        if (terms.ReturnException is not { } exception)
        {
            return PermitFailures.Problem(ErrorCode.PermitDepartureState, "Error_PermitNoReturnException_Detail", terms.PolicyId);
        }

        var returnBy = PermitDecisions.ReturnBy(store.Lifecycle, terms, permit.ResidenceDivisionCode, leftOn)!.Value;
        if (returnedOn > returnBy)
        {
            return PermitFailures.OutsideWindow("return", leftOn, returnBy, exception.Basis);
        }

        permit.Return(store.Step(returnedOn, exception.Basis, terms,
            new { leftOn, returnedOn, returnBy, returnException = PermitSteps.Describe(exception.Value) }, command.Reason?.Trim()));
        if (await store.SaveAsync(permit.Id, null, cancellationToken) is { } saved)
        {
            return saved;
        }

        ledger.Wrote(PermitMapper.Person(permit), ["leftOn"]);
        return PermitMapper.ToDto(permit);
    }
}
