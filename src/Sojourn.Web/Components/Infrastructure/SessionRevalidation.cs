using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Sojourn.Data.Access;
using Sojourn.Web.Access;

namespace Sojourn.Web.Components.Infrastructure;

/// <summary>
/// A page circuit outlives the request that opened it, so its sign-in is checked again every minute: a locked account,
/// a changed role or password (the security stamp), or a session older than its lifetime ends the page's session at
/// once, as the next API call with the cookie would.
/// </summary>
internal sealed class SessionRevalidation(
    ILoggerFactory loggerFactory, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity, IOptions<AccessOptions> access, TimeProvider time)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    /// <summary>When this session signed in (Unix seconds), added at sign-in.</summary>
    public const string SignedInAt = "sojourn:signed-in-at";

    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticationState);
        var user = authenticationState.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return true;
        }

        if (long.TryParse(user.FindFirstValue(SignedInAt), NumberStyles.None, CultureInfo.InvariantCulture, out var at)
            && time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(at) > TimeSpan.FromMinutes(access.Value.PageSessionMinutes))
        {
            return false;
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SojournUser>>();
        var account = await users.GetUserAsync(user);
        if (account is null || await users.IsLockedOutAsync(account))
        {
            return false;
        }

        if (!users.SupportsUserSecurityStamp)
        {
            return true;
        }

        return user.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType) == await users.GetSecurityStampAsync(account);
    }
}

/// <summary>Captures the browser's address when a page circuit opens, for the audit entries its reads write.</summary>
internal sealed class CircuitAddressHandler(IHttpContextAccessor accessor, CircuitAddress address) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        address.Ip ??= accessor.HttpContext?.Connection.RemoteIpAddress?.ToString();
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        address.Ip ??= accessor.HttpContext?.Connection.RemoteIpAddress?.ToString();
        return Task.CompletedTask;
    }
}
