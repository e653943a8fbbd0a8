using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Data.Access;
using Sojourn.Data.Permits;
using Sojourn.Rules.Permits;

namespace Sojourn.Application.Permits;

/// <param name="Ground">left | death | settled | obtained-by-fraud | forged-or-altered (the last two: officials only, with a reason).</param>
/// <param name="EffectiveOn">The day of leaving (may be ahead, within the policy's period before leaving), of death, or of settling.</param>
/// <param name="ReportedBy">Who reports: close-relative | landlord | employer (a death must be reported by one the policy names).</param>
/// <param name="Final">The holder confirms they will not return: cancels on leaving inside the return exception.</param>
/// <param name="OldCardSurrendered">The card was handed back (山西2017 第十八条 并交回居住证).</param>
internal sealed record CancelPermitCommand(
    Guid PermitId, int? ExpectedVersion, string? Ground, DateOnly? EffectiveOn, string? ReportedBy, string? ReporterName,
    bool Final, bool OldCardSurrendered, string? Reason);

/// <summary>The grounds and relations of the cancellation steps (the policies' ids).</summary>
internal static class PermitGrounds
{
    /// <summary>Grounds on which the police cancel and confiscate a permit (the policies' <c>lifecycle.confiscation</c> ids).</summary>
    public static readonly IReadOnlyList<string> Confiscation = ["obtained-by-fraud", "forged-or-altered"];

    /// <summary>Grounds of 注销 (cancellation), then the grounds of 收缴 (confiscation) a policy may list.</summary>
    public static readonly IReadOnlyList<string> All = ["left", "death", "settled", .. Confiscation];

    /// <summary>Who may come to report a death (the policy's <c>deathReportedBy</c> ids).</summary>
    public static readonly IReadOnlyList<string> Relations = ["close-relative", "landlord", "employer"];

    /// <summary>A reporter account (a landlord's or employer's system) reports as one of these.</summary>
    public static readonly IReadOnlyList<string> ReporterRelations = ["landlord", "employer"];

    /// <summary>Sets the permit cancelled and appends the event (the one-permit index no longer counts it).</summary>
    public static void Cancel(
        PermitStore store, Permit permit, PermitTerms terms, DateOnly effectiveOn, string? basis, Dictionary<string, object?> details, string? reason,
        DateOnly? leftOn = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(permit);
        permit.Cancel(leftOn, store.Step(effectiveOn, basis, terms, details, reason?.Trim()));
    }
}

/// <summary>
/// 注销: the holder left the city, died, or settled household registration (山西2017 第十八条). A departure
/// inside the policy's return exception is not cancelled unless the holder says they will not return.
/// Officials cancel on any ground; a landlord's or employer's system (reporter) reports the death of a
/// person it reported; a migrant cancels their own permit on leaving or settling.
/// </summary>
internal sealed class CancelPermitUseCase(PermitStore store, PersonalDataLedger ledger)
{
    public async Task<Outcome<PermitDto>> HandleAsync(CancelPermitCommand command, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);

        // Found (and in reach) first: a permit outside the caller's reach is 404 whatever the body says.
        var loaded = await store.LoadForUpdateAsync(command.PermitId, command.ExpectedVersion, cancellationToken);
        if (!loaded.TryGetValue(out var permit, out var failure))
        {
            return failure;
        }

        if (command.Ground is not { } ground || !PermitGrounds.All.Contains(ground))
        {
            return PermitFailures.Invalid("ground", "Permit_Cancel_GroundInvalid", string.Join(" | ", PermitGrounds.All));
        }

        // Who may cancel on which ground: the access table lets the roles in, the ground narrows them.
        var role = actor.Role;
        var confiscation = PermitGrounds.Confiscation.Contains(ground);
        if ((role == Roles.Reporter && ground != "death") || (role == Roles.Migrant && (ground == "death" || confiscation)))
        {
            return PermitFailures.Problem(ErrorCode.PermitStepNotAllowed, "Error_PermitStepNotAllowed_Ground", Messages.Get("PermitGround_" + ground));
        }

        if (!permit.IsOpen("cancel"))
        {
            return PermitFailures.WrongStatus(permit, "cancel");
        }

        var today = store.Clock.Today;
        // A confiscation is the police's finding: it states what was found, and takes effect today unless dated.
        if (confiscation && string.IsNullOrWhiteSpace(command.Reason))
        {
            return PermitFailures.Invalid("reason", "Permit_FieldRequired", "reason");
        }

        var effectiveOn = command.EffectiveOn ?? (ground == "left" ? permit.LeftOn : confiscation ? today : null);
        if (effectiveOn is not { } day)
        {
            return PermitFailures.Invalid("effectiveOn", "Permit_FieldRequired", "effectiveOn");
        }

        var terms = store.TermsFor(permit.ResidenceDivisionCode, day <= today ? day : today);
        if (terms is null)
        {
            return PermitFailures.NoPolicy(permit.ResidenceDivisionCode);
        }

        // Leaving may be announced ahead, within the policy's period before leaving; death and settling have happened.
        var ahead = ground == "left" && terms.CancelBeforeLeaving is { } before && Rules.Periods.PeriodMath.WindowStart(day, before.Value) <= today;
        if (day > today && !ahead)
        {
            return PermitFailures.Invalid("effectiveOn", "Permit_DayInFuture", "effectiveOn");
        }

        string? basis;
        DateOnly? departedOn = null;
        Dictionary<string, object?> details = new() { ["ground"] = ground, ["final"] = command.Final, ["oldCardSurrendered"] = command.OldCardSurrendered };
        switch (ground)
        {
            case "obtained-by-fraud" or "forged-or-altered":
                {
                    // The ground and its article come from the policy chain; where no layer gives one, there is no basis.
                    if (terms.ConfiscationGrounds.FirstOrDefault(g => g.Value == ground) is not { } cited)
                    {
                        return PermitFailures.Problem(ErrorCode.PermitNoConfiscationBasis, "Error_PermitNoConfiscationBasis_Detail",
                            Messages.Get("PermitGround_" + ground), string.Join(", ", terms.Policies));
                    }

                    details["confiscated"] = true;
                    details["groundNote"] = cited.Note;
                    basis = cited.Basis;
                    break;
                }

            case "death":
                {
                    var relation = command.ReportedBy;
                    var allowed = terms.DeathReportedBy.Value;
                    if (role == Roles.Reporter && (relation is null || !PermitGrounds.ReporterRelations.Contains(relation)))
                    {
                        return PermitFailures.Invalid("reportedBy", "Permit_Cancel_ReporterRelation", string.Join(" | ", PermitGrounds.ReporterRelations));
                    }

                    if (relation is not null && !PermitGrounds.Relations.Contains(relation))
                    {
                        return PermitFailures.Invalid("reportedBy", "Permit_Cancel_RelationInvalid", string.Join(" | ", PermitGrounds.Relations));
                    }

                    if (allowed.Count > 0 && relation is null)
                    {
                        return PermitFailures.Invalid("reportedBy", "Permit_FieldRequired", "reportedBy");
                    }

                    // Where the policy lists who reports a death, only they may; where it is silent, only the police record it.
                    if (allowed.Count > 0 ? !allowed.Contains(relation!) : role == Roles.Reporter)
                    {
                        return PermitFailures.Problem(ErrorCode.PermitStepNotAllowed, "Error_PermitStepNotAllowed_DeathReporter",
                            relation is null ? "-" : Messages.Get("PermitRelation_" + relation),
                            allowed.Count == 0 ? "-" : string.Join("、", allowed.Select(a => Messages.Get("PermitRelation_" + a))),
                            terms.DeathReportedBy.Basis);
                    }

                    details["reportedBy"] = relation;
                    details["reporterName"] = command.ReporterName;
                    details["reportersAllowed"] = allowed;
                    basis = terms.DeathReportedBy.Basis;
                    break;
                }

            case "settled":
                {
                    if (terms.CancelAfterSettling is { } settling)
                    {
                        var due = store.Lifecycle.Due(settling, permit.ResidenceDivisionCode, day);
                        details["due"] = due;
                        details["late"] = today > due;
                        basis = settling.Basis;
                    }
                    else
                    {
                        basis = terms.PolicyId; // the policy sets no period: the cancellation rests on the policy as a whole
                    }

                    details["reportedBy"] = command.ReportedBy;
                    break;
                }

            default:
                {
                    var leftOn = day;
                    if (terms.ReturnException is { } exception)
                    {
                        var returnBy = store.Lifecycle.Due(exception, permit.ResidenceDivisionCode, leftOn);
                        details["returnBy"] = returnBy;
                        if (today <= returnBy && !command.Final)
                        {
                            return PermitFailures.Problem(ErrorCode.PermitReturnExceptionRunning, "Error_PermitReturnExceptionRunning_Detail",
                                PermitCitations.Iso(leftOn), exception.Note ?? exception.Basis, PermitCitations.Iso(returnBy), exception.Basis);
                        }
                    }

                    basis = PermitSteps.Departure(store.Lifecycle, terms, permit, leftOn, today, details);
                    departedOn = leftOn;
                    break;
                }
        }

        PermitGrounds.Cancel(store, permit, terms, day, basis, details, command.Reason, departedOn);
        if (await store.SaveAsync(permit.Id, null, cancellationToken) is { } saved)
        {
            return saved;
        }

        ledger.Wrote(PermitMapper.Person(permit), ["status", "cancellation"]);
        return PermitMapper.ToDto(permit);
    }
}
