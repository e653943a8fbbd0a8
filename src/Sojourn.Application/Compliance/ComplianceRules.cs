using Sojourn.Application.Errors;
using Sojourn.Data.Compliance;

namespace Sojourn.Application.Compliance;

/// <summary>
/// The case decisions as pure functions (no database): whether an order may be issued and its time limit, and whether a
/// decision is within what the policy allows (the ranges and the article copied onto the case when it was opened).
/// </summary>
internal static class ComplianceRules
{
    public const int MaxReason = 200;

    /// <summary>
    /// An order to correct (责令限期改正): only on a new case whose duty is still undone and whose policy orders correction.
    /// The time limit is the policy's where it names one; where it is silent the officer sets it (a day after today).
    /// Returns the limit, or a failure.
    /// </summary>
    public static Outcome<DateOnly> CheckOrder(ComplianceCase c, DateOnly today, DateOnly? correctBy)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (c.State != CaseState.New || c.DutyStatus != Rules.Compliance.DutyStatuses.Overdue)
        {
            return WrongState(c, "责令改正");
        }

        if (!c.OrderToCorrect)
        {
            return Failure.Of(ErrorCode.SanctionNotAllowed, "Error_SanctionNotAllowed_Detail", "责令改正", Cite(c));
        }

        if (c.OrderLimitDays is { } days)
        {
            return today.AddDays(days);
        }

        if (correctBy is not { } by)
        {
            return Failure.Validation("correctBy", Messages.Format("Field_Required", "correctBy"));
        }

        return by > today ? by : Failure.Validation("correctBy", Messages.Format("Field_AfterToday", "correctBy"));
    }

    /// <summary>
    /// A decision: warning, fine (within the range, or the serious range), or dismissed with a reason. A fine outside the
    /// range is refused with the range and its article; where the policy fines only an ignored order, a fine needs the
    /// case escalated (the limit passed uncorrected). A case waiting on its limit, or closed, takes no decision.
    /// </summary>
    public static Failure? CheckDecision(ComplianceCase c, string? outcome, int? fineYuan, bool serious, string? reason)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (c.State is not (CaseState.New or CaseState.ToDecide))
        {
            return WrongState(c, "作出决定");
        }

        if (outcome is null || !CaseOutcome.Decisions.Contains(outcome))
        {
            return Failure.Validation("outcome", Messages.Format("Field_OneOf", "outcome", string.Join(", ", CaseOutcome.Decisions)));
        }

        if (reason is { Length: > MaxReason })
        {
            return Failure.Validation("reason", Messages.Format("Field_TooLong", "reason", MaxReason));
        }

        switch (outcome)
        {
            case CaseOutcome.Dismissed:
                return string.IsNullOrWhiteSpace(reason) ? Failure.Validation("reason", Messages.Format("Field_Required", "reason")) : null;
            case CaseOutcome.Warning:
                return c.Warning ? null : Failure.Of(ErrorCode.SanctionNotAllowed, "Error_SanctionNotAllowed_Detail", "警告", Cite(c));
            default:
                var (min, max) = serious ? (c.SeriousFineMin, c.SeriousFineMax) : (c.FineMin, c.FineMax);
                if (min is not { } lo || max is not { } hi)
                {
                    return Failure.Of(ErrorCode.SanctionNotAllowed, "Error_SanctionNotAllowed_Detail", serious ? "情节严重的罚款" : "罚款", Cite(c));
                }

                if (c.FineOnlyIfUncorrected && c.State != CaseState.ToDecide)
                {
                    return Failure.Of(ErrorCode.FineOnlyAfterIgnoredOrder, "Error_FineOnlyAfterIgnoredOrder_Detail", Cite(c));
                }

                if (fineYuan is not { } amount || amount < lo || amount > hi)
                {
                    return Failure.Of(ErrorCode.FineOutsideRange, "Error_FineOutsideRange_Detail", lo, hi, Cite(c))
                        .With("minYuan", lo).With("maxYuan", hi).With("basis", c.SanctionBasis);
                }

                return null;
        }
    }

    /// <summary>The article a decision rests on: the sanction's, or the duty's for a dismissal.</summary>
    public static string? BasisOf(ComplianceCase c, string outcome)
    {
        ArgumentNullException.ThrowIfNull(c);
        return outcome == CaseOutcome.Dismissed ? c.DutyBasis : c.SanctionBasis;
    }

    /// <summary>The sanction's article as people read it (《山西省流动人口服务管理办法》第三十三条), or the policy where none.</summary>
    private static string Cite(ComplianceCase c) =>
        c.SanctionBasis is { } b ? Permits.PermitCitations.Cite(b) : c.Policies ?? "";

    private static Failure WrongState(ComplianceCase c, string step) =>
        Failure.Of(ErrorCode.CaseWrongState, "Error_CaseWrongState_Detail", c.State, step);
}
