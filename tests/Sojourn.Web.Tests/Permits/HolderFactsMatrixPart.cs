using Sojourn.Data.Access;
using Sojourn.Web.Tests.Access;

namespace Sojourn.Web.Tests.Permits;

/// <summary>The holder facts' share of the authorization matrix (settled 常住户口 or died): officers and station chiefs.</summary>
public sealed class HolderFactsMatrixPart : IAuthorizationMatrixPart
{
    public IReadOnlyDictionary<string, string[]> Expected { get; } = new Dictionary<string, string[]>
    {
        ["RecordHolderFact"] = [Roles.Officer, Roles.StationChief],
        ["ListHolderFacts"] = [Roles.Officer, Roles.StationChief],
    };

    public object? Body(string key, string idNumber) => key switch
    {
        "RecordHolderFact" => new { kind = "died", on = "2026-01-01", documentRef = "matrix" },
        _ => null,
    };
}
