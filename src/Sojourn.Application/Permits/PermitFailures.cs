using Sojourn.Application.Errors;
using Sojourn.Data.Permits;

namespace Sojourn.Application.Permits;

/// <summary>The permit module's typed failures: a catalogue code, the detail in the caller's language, and the article where a rule decided.</summary>
internal static class PermitFailures
{
    public static Failure NotFound() => Failure.Of(ErrorCode.PermitNotFound, "Error_PermitNotFound_Detail");

    /// <summary>The client sent no version (If-Match or body): 428.</summary>
    public static Failure PreconditionRequired() => Failure.Of(ErrorCode.PreconditionRequired, "Error_PreconditionRequired_Detail");

    public static Failure Stale(int currentVersion) => Failure.Of(ErrorCode.StaleVersion, "Error_StaleVersion_Detail", currentVersion);

    /// <summary>The step is not open to a permit in its current status (e.g. endorsing a cancelled permit).</summary>
    public static Failure WrongStatus(Permit permit, string step)
    {
        ArgumentNullException.ThrowIfNull(permit);
        return Failure.Of(ErrorCode.PermitWrongStatus, "Error_PermitWrongStatus_Detail",
            Messages.Get("PermitStep_" + step), Messages.Get("PermitStatus_" + permit.Status));
    }

    /// <summary>No policy in force issues permits at the residence division.</summary>
    public static Failure NoPolicy(string division) => Failure.Of(ErrorCode.PermitNoPolicy, "Error_PermitNoPolicy_Detail", division);

    /// <summary>
    /// 409 one person, one permit: citing the jurisdiction's article (山东 第九条, 大同 第十九条, 山西 第十七条), or saying
    /// that the policy is silent and the constraint is the recorded decision.
    /// </summary>
    public static Failure AlreadyHeld(Rules.Permits.Cited<bool>? onePermit = null) =>
        new(ErrorCode.PermitAlreadyHeld, onePermit is null
            ? Messages.Get("Error_PermitAlreadyHeld_Detail")
            : onePermit.Basis.Contains('#', StringComparison.Ordinal)
                ? Messages.Format("Error_PermitAlreadyHeld_Cited", PermitCitations.Cite(onePermit.Basis))
                : Messages.Format("Error_PermitAlreadyHeld_Silent", PermitCitations.Cite(onePermit.Basis)));

    /// <summary>A step asked outside its window (e.g. a renewal before the policy lets one apply).</summary>
    public static Failure OutsideWindow(string step, DateOnly from, DateOnly until, string basis) =>
        Failure.Of(ErrorCode.PermitOutsideWindow, "Error_PermitOutsideWindow_Detail",
            Messages.Get("PermitStep_" + step), PermitCitations.Iso(from), PermitCitations.Iso(until), basis);

    public static Failure Problem(ErrorCode error, string detailKey, params object?[] args) => new(error, Messages.Format(detailKey, args));

    public static Failure Invalid(string field, string messageKey, params object?[] args) =>
        Failure.Validation(field, Messages.Format(messageKey, args));
}
