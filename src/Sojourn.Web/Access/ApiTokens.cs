using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sojourn.Data;
using Sojourn.Data.Access;

namespace Sojourn.Web.Access;

/// <summary>Opaque bearer tokens (<c>sjt_…</c>), scoped to one account; only the SHA-256 hash is stored.</summary>
public sealed class ApiTokenService(SojournDbContext db, TimeProvider time)
{
    public const string Scheme = "SojournToken";
    private const string Prefix = "sjt_";

    public async Task<(string Token, DateTime ExpiresAt)> IssueAsync(
        SojournUser user, string name, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var token = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow().UtcDateTime;
        var row = new ApiToken
        {
            Id = Guid.CreateVersion7(),
            UserId = user.Id,
            TokenHash = Hash(token),
            Name = name.Length > 100 ? name[..100] : name,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        db.ApiTokens.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(row).State = EntityState.Detached;
        return (token, row.ExpiresAt);
    }

    /// <summary>The account's principal, or null for an unknown, expired or revoked token or a locked-out account.</summary>
    public async Task<ClaimsPrincipal?> ValidateAsync(string token, string scheme, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 100)
        {
            return null;
        }

        var hash = Hash(token);
        var now = time.GetUtcNow().UtcDateTime;
        var row = await db.ApiTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && t.RevokedAt == null && t.ExpiresAt > now)
            .Join(db.Users.AsNoTracking(), t => t.UserId, u => u.Id, (t, u) => u)
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null || (row.LockoutEnd is { } end && end > time.GetUtcNow()))
        {
            return null;
        }

        var identity = new ClaimsIdentity(scheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, row.Id));
        identity.AddClaim(new Claim(ClaimTypes.Name, row.UserName ?? row.Id));
        identity.AddClaims(SojournClaims.For(row));
        return new ClaimsPrincipal(identity);
    }

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Authenticates <c>Authorization: Bearer sjt_…</c>.</summary>
public sealed class ApiTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var tokens = Context.RequestServices.GetRequiredService<ApiTokenService>();
        var principal = await tokens.ValidateAsync(header["Bearer ".Length..].Trim(), Scheme.Name, Context.RequestAborted);
        return principal is null
            ? AuthenticateResult.Fail("invalid token")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }
}
