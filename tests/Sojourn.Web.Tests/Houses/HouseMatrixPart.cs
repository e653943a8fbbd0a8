using Sojourn.Data.Access;
using Sojourn.Web.Tests.Access;

namespace Sojourn.Web.Tests.Houses;

/// <summary>The house view's share of the authorization matrix: officers and station chiefs only.</summary>
public sealed class HouseMatrixPart : IAuthorizationMatrixPart
{
    public IReadOnlyDictionary<string, string[]> Expected { get; } = new Dictionary<string, string[]>
    {
        ["SearchHouses"] = [Roles.Officer, Roles.StationChief],
        ["GetHouse"] = [Roles.Officer, Roles.StationChief],
        ["GetPersonPlaces"] = [Roles.Officer, Roles.StationChief],
    };
}
