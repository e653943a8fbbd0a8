using Sojourn.Data.Access;
using Sojourn.Web.Tests.Access;

namespace Sojourn.Web.Tests.Reporting;

/// <summary>The tip-off endpoints' share of the authorization matrix: submitting and the stations are open to anyone; leads, officers and chiefs.</summary>
public sealed class TipOffMatrixPart : IAuthorizationMatrixPart
{
    public IReadOnlyDictionary<string, string[]> Expected { get; } = new Dictionary<string, string[]>
    {
        ["ListLeads"] = [Roles.Officer, Roles.StationChief],
        ["CloseLead"] = [Roles.Officer, Roles.StationChief],
    };

    public IReadOnlySet<string> PublicApi { get; } = new HashSet<string> { "SubmitTipOff", "ListTipOffStations" };

    public object? Body(string key, string idNumber) => key switch
    {
        "SubmitTipOff" => new { kind = "other", divisionCode = "140105", address = "太原市小店区矩阵路1号", description = "matrix" },
        "CloseLead" => new { note = "matrix" },
        _ => null,
    };
}
