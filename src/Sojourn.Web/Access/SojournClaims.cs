using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Sojourn.Application.Actors;
using Sojourn.Data.Access;
using Sojourn.Web.Access.Audit;

namespace Sojourn.Web.Access;

/// <summary>The claims an account signs in with: its id, name, role, office and reach.</summary>
internal static class SojournClaims
{
    public const string Office = "sojourn:office";
    public const string Divisions = "sojourn:divisions";
    public const string Stations = "sojourn:stations";
    public const string Person = "sojourn:person";

    /// <summary>Present (value <c>mfa</c>, as RFC 8176 "amr") when this session's sign-in passed the one-time code.</summary>
    public const string SecondFactor = "amr";

    public static IEnumerable<Claim> For(SojournUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        yield return new Claim(ClaimTypes.Role, user.Role);
        yield return new Claim(Office, user.Office);
        yield return new Claim(Divisions, user.Divisions);
        yield return new Claim(Stations, user.Stations);
        if (user.PersonIdHmac is not null)
        {
            yield return new Claim(Person, user.PersonIdHmac);
        }
    }

    public static string? Role(this ClaimsPrincipal user) => user?.FindFirstValue(ClaimTypes.Role);

    public static string AccountId(this ClaimsPrincipal user) => user?.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";

    /// <summary>The reach the data layer filters by (EF Core global query filters).</summary>
    public static ActorScope Scope(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return ActorScope.Nobody;
        }

        return new ActorScope(
            Roles.ReachOf(user.Role() ?? ""),
            SojournUser.SplitCodes(user.FindFirstValue(Divisions) ?? ""),
            SojournUser.SplitCodes(user.FindFirstValue(Stations) ?? ""),
            user.FindFirstValue(Person),
            user.AccountId());
    }
}

/// <summary>Adds the Sojourn claims to Identity's principal (cookie sign-in).</summary>
internal sealed class SojournClaimsFactory(UserManager<SojournUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<SojournUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(SojournUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaims(SojournClaims.For(user));
        return identity;
    }
}

/// <summary>
/// The current actor of a request, read once from the signed-in account's claims (and the stated purpose and
/// address); outside a request there is none and the scope's <see cref="CurrentActor"/> acts as the system.
/// </summary>
internal sealed class ClaimsActorSource(IHttpContextAccessor accessor) : IActorSource
{
    public ActorIdentity? Current() => accessor.HttpContext is { } http ? From(http) : null;

    /// <summary>How a record names the caller of <paramref name="http"/>: <c>role:userName</c>, cut to the column.</summary>
    public static string Label(HttpContext http) => From(http).Label;

    public static ActorIdentity From(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return From(http.User, AuditRecorder.Purpose(http), http.Connection.RemoteIpAddress?.ToString());
    }

    /// <summary>The actor of a principal (a request's, or a page circuit's) with the purpose it stated and its address.</summary>
    public static ActorIdentity From(ClaimsPrincipal user, string? purpose, string? ip)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return ActorIdentity.Anonymous with { Ip = ip, Purpose = purpose };
        }

        return new ActorIdentity(
            user.AccountId(),
            user.Identity.Name ?? "",
            user.Role() ?? "",
            user.FindFirstValue(SojournClaims.Office) ?? "",
            user.Scope(),
            user.FindFirstValue(SojournClaims.SecondFactor) == "mfa",
            purpose,
            ip);
    }
}
