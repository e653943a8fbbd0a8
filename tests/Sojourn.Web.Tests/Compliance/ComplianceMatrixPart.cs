using Sojourn.Data.Access;
using Sojourn.Web.Tests.Access;

namespace Sojourn.Web.Tests.Compliance;

/// <summary>The compliance endpoints' share of the authorization matrix: officers and station chiefs; the sweep, chiefs only.</summary>
public sealed class ComplianceMatrixPart : IAuthorizationMatrixPart
{
    public IReadOnlyDictionary<string, string[]> Expected { get; } = new Dictionary<string, string[]>
    {
        ["SweepCompliance"] = [Roles.StationChief],
        ["ListComplianceCases"] = [Roles.Officer, Roles.StationChief],
        ["GetComplianceCase"] = [Roles.Officer, Roles.StationChief],
        ["IssueCorrectionOrder"] = [Roles.Officer, Roles.StationChief],
        ["DecideComplianceCase"] = [Roles.Officer, Roles.StationChief],
        ["GetCorrectionOrderPdf"] = [Roles.Officer, Roles.StationChief],
        ["GetPenaltyDecisionPdf"] = [Roles.Officer, Roles.StationChief],
    };

    public object? Body(string key, string idNumber) => key switch
    {
        "SweepCompliance" => new { },
        "IssueCorrectionOrder" => new { version = 1, correctBy = "2030-01-01" },
        "DecideComplianceCase" => new { version = 1, outcome = "dismissed", reason = "matrix" },
        _ => null,
    };
}
