using Sojourn.Application.Errors;
using Sojourn.Data.Permits;

namespace Sojourn.Application.Permits;

/// <summary>The permit module's typed failures: a catalogue code, the detail in the caller's language, and the article where a rule decided.</summary>
public static class PermitFailures
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
}
