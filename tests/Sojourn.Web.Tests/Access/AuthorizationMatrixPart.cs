namespace Sojourn.Web.Tests.Access;

/// <summary>
/// A module's share of the authorization matrix (<see cref="AccessTests"/>): the roles expected on each of its
/// endpoints (written independently of Access/access.json), the ones anyone may call, and request bodies.
/// Put one class implementing this beside the module's tests; the matrix finds it by reflection, so a module
/// keeps its expectations in its own file and an endpoint that is in no part fails the matrix.
/// </summary>
public interface IAuthorizationMatrixPart
{
    IReadOnlyDictionary<string, string[]> Expected { get; }

    /// <summary>API endpoints open to anyone (signed in or not).</summary>
    IReadOnlySet<string> PublicApi => new HashSet<string>();

    /// <summary>Non-API endpoints (pages) open to anyone.</summary>
    IReadOnlySet<string> PublicPages => new HashSet<string>();

    /// <summary>A request body for the endpoint, or null for none.</summary>
    object? Body(string key, string idNumber) => null;

    internal static IReadOnlyList<IAuthorizationMatrixPart> All { get; } =
    [
        .. typeof(IAuthorizationMatrixPart).Assembly.GetTypes()
            .Where(t => typeof(IAuthorizationMatrixPart).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false })
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (IAuthorizationMatrixPart)Activator.CreateInstance(t)!),
    ];
}
