using Sojourn.Data.Access;
using Sojourn.Web.Tests.Access;

namespace Sojourn.Web.Tests.Reporting;

/// <summary>
/// The reporting endpoints' share of the authorization matrix: reporters report and upload batches; officers and
/// station chiefs read the reports and the imports of their jurisdiction; the rejected rows go to the reporter only.
/// </summary>
public sealed class ReportingMatrixPart : IAuthorizationMatrixPart
{
    public IReadOnlyDictionary<string, string[]> Expected { get; } = new Dictionary<string, string[]>
    {
        ["ListMyEstablishments"] = [Roles.Reporter],
        ["SubmitReport"] = [Roles.Reporter],
        ["ListReports"] = [Roles.Reporter, Roles.Officer, Roles.StationChief],
        ["UploadReportImport"] = [Roles.Reporter],
        ["ListReportImports"] = [Roles.Reporter, Roles.Officer, Roles.StationChief],
        ["GetReportImport"] = [Roles.Reporter, Roles.Officer, Roles.StationChief],
        ["GetReportImportRejections"] = [Roles.Reporter],
    };

    public object? Body(string key, string idNumber) => key switch
    {
        "SubmitReport" => new { kind = "arrival" },
        _ => null,
    };
}
