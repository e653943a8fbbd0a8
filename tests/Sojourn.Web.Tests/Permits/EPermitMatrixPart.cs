using Sojourn.Data.Access;
using Sojourn.Web.Tests.Access;

namespace Sojourn.Web.Tests.Permits;

/// <summary>
/// The e-permit's share of the authorization matrix: the holder and the station read the credential and
/// documents; anyone signed in may verify (officials stating a purpose); what offline checkers sync and
/// the /v/ page are open; only an administrator rotates keys; only a station chief runs reminders.
/// </summary>
public sealed class EPermitMatrixPart : IAuthorizationMatrixPart
{
    private static readonly string[] HolderAndStation = [Roles.Migrant, Roles.Officer, Roles.StationChief];

    public IReadOnlyDictionary<string, string[]> Expected { get; } = new Dictionary<string, string[]>
    {
        ["GetPermitCredential"] = HolderAndStation,
        ["VerifyPermitCredential"] = [.. Roles.All],
        ["RotateIssuerKey"] = [Roles.Administrator],
        ["GetPermitFacePdf"] = HolderAndStation,
        ["GetPermitRefusalNoticePdf"] = HolderAndStation,
        ["GetPermitEndorsementRecordPdf"] = HolderAndStation,
        ["GetRegistrationCertificatePdf"] = HolderAndStation,
        ["RunPermitReminders"] = [Roles.StationChief],
        ["MyPermitReminders"] = [Roles.Migrant],
    };

    public IReadOnlySet<string> PublicApi { get; } = new HashSet<string> { "GetIssuerStatusList", "GetIssuerKeys" };

    public IReadOnlySet<string> PublicPages { get; } = new HashSet<string> { "VerificationPage" };

    public object? Body(string key, string idNumber) => key switch
    {
        "VerifyPermitCredential" => new { credential = "SJ1.not.genuine", purpose = "授权矩阵测试" },
        _ => null,
    };
}
