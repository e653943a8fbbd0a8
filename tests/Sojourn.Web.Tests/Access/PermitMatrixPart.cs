using Sojourn.Data.Access;

namespace Sojourn.Web.Tests.Access;

/// <summary>
/// The permit endpoints' share of the authorization matrix, as the permit module declared them in
/// Access/access.json (commit 294614b). The permit module should review it and keep it with its tests.
/// </summary>
public sealed class PermitMatrixPart : IAuthorizationMatrixPart
{
    public IReadOnlyDictionary<string, string[]> Expected { get; } = new Dictionary<string, string[]>
    {
        ["GetPermit"] = [Roles.Migrant, Roles.Collector, Roles.Officer, Roles.StationChief],
        ["GetPermitHistory"] = [Roles.Migrant, Roles.Officer, Roles.StationChief],
        ["ChangePermit"] = [Roles.Migrant, Roles.Collector, Roles.Officer, Roles.StationChief],
        ["NotifyPermitDeparture"] = [Roles.Migrant, Roles.Collector, Roles.Officer, Roles.StationChief],
        ["RecordPermitReturn"] = [Roles.Migrant, Roles.Collector, Roles.Officer, Roles.StationChief],
        ["CancelPermit"] = [Roles.Migrant, Roles.Reporter, Roles.Officer, Roles.StationChief],
        ["RenewPermit"] = [Roles.Migrant, Roles.Collector, Roles.Officer, Roles.StationChief],
        ["IssuePermitRenewal"] = [Roles.Officer, Roles.StationChief],
        ["ReplacePermit"] = [Roles.Officer, Roles.StationChief],
        ["ReissuePermit"] = [Roles.Officer, Roles.StationChief],
        ["RecordTransitionalPermit"] = [Roles.Officer, Roles.StationChief],
        ["ListPermits"] = [Roles.Officer, Roles.StationChief],
        ["MyPermits"] = [Roles.Migrant],
        ["CheckPermitEligibility"] = [Roles.Migrant, Roles.Collector, Roles.Officer],
        ["ApplyForPermit"] = [Roles.Migrant, Roles.Collector, Roles.Officer, Roles.StationChief],
        ["ApprovePermit"] = [Roles.Officer, Roles.StationChief],
        ["RefusePermit"] = [Roles.Officer, Roles.StationChief],
        ["EndorsePermit"] = [Roles.Collector, Roles.Officer, Roles.StationChief],
        ["SweepPermits"] = [Roles.StationChief],
    };
}
