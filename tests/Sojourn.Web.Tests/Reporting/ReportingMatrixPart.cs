using Sojourn.Data.Access;
using Sojourn.Web.Tests.Access;

namespace Sojourn.Web.Tests.Reporting;

/// <summary>The reporting endpoints' share of the authorization matrix: reporters report; stations read what was reported.</summary>
public sealed class ReportingMatrixPart : IAuthorizationMatrixPart
{
    public IReadOnlyDictionary<string, string[]> Expected { get; } = new Dictionary<string, string[]>
    {
        ["ListMyEstablishments"] = [Roles.Reporter],
        ["SubmitReport"] = [Roles.Reporter],
        ["ListReports"] = [Roles.Reporter, Roles.Officer, Roles.StationChief],
    };

    // No establishment named: a reporter gets past the access checks to the field validation (400).
    public object? Body(string key, string idNumber) => key == "SubmitReport" ? new { kind = "arrival" } : null;
}
