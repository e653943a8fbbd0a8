using System.Globalization;
using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Data.Permits;
using Sojourn.Rules.Permits;

namespace Sojourn.Application.Permits;

/// <param name="Materials">Material ids handed in, where the policy's <c>endorsementRequires.materials</c> is true.</param>
/// <param name="ConditionsMet">The officer confirms the holder still meets the conditions, where <c>endorsementRequires.conditions</c> is true.</param>
internal sealed record EndorsePermitCommand(Guid PermitId, int? ExpectedVersion, IReadOnlyList<string>? Materials = null, bool? ConditionsMet = null);

/// <summary>
/// The yearly endorsement (签注), as PermitDecisions.Endorse decides it.
/// <list type="bullet">
/// <item>A valid permit is endorsed only inside its window (opens..due); the next window is the next
/// anniversary of the anchor.</item>
/// <item>A suspended permit (endorsement missed) is endorsed late at any time and becomes valid again
/// (补办签注). Residence years then count from today (FromLateEndorsement, 居住证暂行条例 第十条) or run on
/// (Continuous), as the terms say. Design decision: the late endorsement re-anchors the yearly cycle on its
/// own day, so the next window is one year after the late endorsement, not at the old anniversary.</item>
/// <item>A void permit cannot be endorsed: the person applies again.</item>
/// </list>
/// </summary>
internal sealed class EndorsePermitUseCase(PermitStore store, PersonalDataLedger ledger)
{
    public async Task<Outcome<PermitDto>> HandleAsync(EndorsePermitCommand command, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var loaded = await store.LoadForUpdateAsync(command.PermitId, command.ExpectedVersion, cancellationToken);
        if (!loaded.TryGetValue(out var permit, out var failure))
        {
            return failure;
        }

        var today = store.Clock.Today;
        var terms = store.TermsFor(permit.ResidenceDivisionCode, today);
        if (terms is null)
        {
            return PermitFailures.NoPolicy(permit.ResidenceDivisionCode);
        }

        var decision = PermitDecisions.Endorse(store.Lifecycle, terms, PermitMapper.Facts(permit), today);
        switch (decision.Outcome)
        {
            case EndorseOutcome.VoidReapply:
                return PermitFailures.Problem(ErrorCode.PermitWrongStatus, "Error_PermitVoidReapply_Detail", decision.Basis);
            case EndorseOutcome.NoEndorsementDue:
                return OutsideWindow(Messages.Format("Error_PermitNoEndorsementDue_Detail", Day(permit.ValidUntil)), null, null, decision.Basis);
            case EndorseOutcome.OutsideWindow:
                return OutsideWindow(
                    Messages.Format("Error_PermitOutsideWindow_Detail", Messages.Get("PermitStep_endorse"), Day(decision.WindowOpens), Day(decision.WindowDue), decision.Basis),
                    decision.WindowOpens, decision.WindowDue, decision.Basis);
            case EndorseOutcome.WrongStatus:
                return PermitFailures.WrongStatus(permit, "endorse");
        }

        // Where the policy says so (台州 二(三)2), an endorsement needs the materials again and the holder still
        // meeting the permit's conditions, which the officer confirms; nothing is saved otherwise.
        if (Requirements(command, terms) is { } missing)
        {
            return missing;
        }

        var requires = terms.EndorsementRequires;
        var checks = requires.Value is { Conditions: false, Materials: false }
            ? null
            : new { conditionsConfirmed = requires.Value.Conditions, materials = command.Materials, basis = requires.Basis };
        terms.Fees.TryGetValue("endorsement", out var fee);
        var feeDetail = fee is null ? null : new { yuan = fee.Value, basis = fee.Basis };
        if (decision.Outcome == EndorseOutcome.Endorsed)
        {
            permit.Endorse(decision.NextOpens, decision.NextDue, store.Step(today, decision.Basis, terms, new
            {
                year = permit.EndorsementsDone + 1,
                window = new { opens = decision.WindowOpens, due = decision.WindowDue },
                next = new { opens = decision.NextOpens, due = decision.NextDue },
                fee = feeDetail,
                requirements = checks,
            }));
        }
        else
        {
            var missedDue = permit.EndorsementDue;
            var countsBefore = permit.ResidenceCountsFrom;
            var anew = decision.ResidenceCountsAnew;
            permit.Restore(today, anew, decision.NextOpens, decision.NextDue, store.Step(today, decision.Basis, terms, new
            {
                lateEndorsement = anew ? "from-late-endorsement" : "continuous",
                note = terms.LateEndorsement.Note,
                missedDue,
                residenceCountsFrom = new { before = countsBefore, after = anew ? today : countsBefore },
                anchor = today,
                next = new { opens = decision.NextOpens, due = decision.NextDue },
                fee = feeDetail,
                requirements = checks,
            }));
        }

        if (await store.SaveAsync(permit.Id, null, cancellationToken) is { } saved)
        {
            return saved;
        }

        ledger.Wrote(PermitMapper.Person(permit), ["status", "endorsement"]);
        return PermitMapper.ToDto(permit);
    }

    private static Failure? Requirements(EndorsePermitCommand command, PermitTerms terms)
    {
        var requires = terms.EndorsementRequires;
        var errors = new FieldErrors();
        if (requires.Value.Conditions && command.ConditionsMet != true)
        {
            errors.Add("conditionsMet", "Permit_EndorseConditions", PermitCitations.Cite(requires.Basis));
        }

        if (requires.Value.Materials)
        {
            var given = new HashSet<string>((command.Materials ?? []).Select(m => m?.Trim() ?? ""), StringComparer.Ordinal);
            foreach (var m in terms.Materials.Where(m => !given.Contains(m.Value)))
            {
                errors.Add("materials", "Permit_MaterialMissing", m.Note ?? m.Value, requires.Basis);
            }
        }

        return errors.Any ? errors.ToFailure() : null;
    }

    private static Failure OutsideWindow(string detail, DateOnly? opens, DateOnly? due, string basis) =>
        new(ErrorCode.PermitOutsideWindow, detail, Extensions: new Dictionary<string, object?> { ["opens"] = opens, ["due"] = due, ["basis"] = basis });

    private static string Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";
}
