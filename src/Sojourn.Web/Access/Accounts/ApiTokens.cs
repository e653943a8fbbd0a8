using System.Collections.Concurrent;
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

namespace Sojourn.Web.Access.Accounts;

/// <summary>Opaque bearer tokens (<c>sjt_…</c>), scoped to one account; only the SHA-256 hash is stored.</summary>
internal sealed class ApiTokenService(SojournDbContext db, TimeProvider time, ApiTokenCache cache)
{
    public const string Scheme = "SojournToken";

    /// <summary>Claim carrying the token's <see cref="ApiTokenScopes"/> scope.</summary>
    public const string ScopeClaim = "sojourn:token-scope";

    private const string Prefix = "sjt_";

    public async Task<(string Token, DateTime ExpiresAt)> IssueAsync(
        SojournUser user, string name, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var (_, token, expires) = await IssueAsync(user, name, lifetime, ApiTokenScopes.ReadWrite, null, cancellationToken);
        return (token, expires);
    }

    /// <summary>Issues a token; <paramref name="issuedBy"/> is the administrator of an integration token.</summary>
    public async Task<(Guid Id, string Token, DateTime ExpiresAt)> IssueAsync(
        SojournUser user, string name, TimeSpan lifetime, string scope, string? issuedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var token = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow().UtcDateTime;
        var row = new ApiToken
        {
            Id = Guid.CreateVersion7(),
            UserId = user.Id,
            TokenHash = Hash(token),
            Name = name.Length > Data.Validation.ColumnLengths.TokenName ? name[..Data.Validation.ColumnLengths.TokenName] : name,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
            Scope = scope,
            IssuedBy = issuedBy,
        };
        db.ApiTokens.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(row).State = EntityState.Detached;
        return (row.Id, token, row.ExpiresAt);
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
        var now = time.GetUtcNow();
        var (user, scope) = cache.TryGet(hash, now);
        if (user is null)
        {
            var epoch = cache.Epoch;
            var row = await db.ApiTokens.AsNoTracking()
                .Where(t => t.TokenHash == hash && t.RevokedAt == null && t.ExpiresAt > now.UtcDateTime)
                .Join(db.Users.AsNoTracking(), t => t.UserId, u => u.Id, (t, u) => new { t.ExpiresAt, t.Scope, User = u })
                .FirstOrDefaultAsync(cancellationToken);
            if (row is null)
            {
                return null;
            }

            user = row.User;
            scope = row.Scope;
            cache.Set(hash, user, scope, row.ExpiresAt, now, epoch);
        }

        if (user.LockoutEnd is { } end && end > now)
        {
            return null;
        }

        var identity = new ClaimsIdentity(scheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, user.Id));
        identity.AddClaim(new Claim(ClaimTypes.Name, user.UserName ?? user.Id));
        identity.AddClaims(SojournClaims.For(user));
        identity.AddClaim(new Claim(ScopeClaim, scope ?? ApiTokenScopes.Read));
        return new ClaimsPrincipal(identity);
    }

    /// <summary>An account's tokens, newest first (never the secret: only its hash is stored anyway).</summary>
    public Task<List<ApiTokenDto>> ListAsync(string userId, CancellationToken cancellationToken) =>
        db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId)
            .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).Take(200)
            .Select(t => new ApiTokenDto(t.Id, t.Name, t.Scope, t.IssuedBy, t.CreatedAt, t.ExpiresAt, t.RevokedAt))
            .ToListAsync(cancellationToken);

    /// <summary>Revokes one of the account's tokens, effective at once in this process; false when the account has no such token.</summary>
    public async Task<bool> RevokeAsync(string userId, Guid tokenId, CancellationToken cancellationToken)
    {
        var row = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == tokenId && t.UserId == userId, cancellationToken);
        if (row is null)
        {
            return false;
        }

        row.RevokedAt ??= time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(row).State = EntityState.Detached;
        cache.EvictToken(row.TokenHash);
        return true;
    }

    /// <summary>Drops the account's cached look-ups (after a lock, unlock or change of the account).</summary>
    public void Forget(string userId) => cache.EvictUser(userId);

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>One API token as its owner or an administrator sees it.</summary>
internal sealed record ApiTokenDto(Guid Id, string Name, string Scope, string? IssuedBy, DateTime CreatedAt, DateTime ExpiresAt, DateTime? RevokedAt);

/// <summary>
/// A short in-process cache of token look-ups (<c>Sojourn:Access:TokenCacheSeconds</c>, 0 = off): the token
/// look-up is a large part of every API call. Revoking a token, or locking an account, evicts at once in this
/// process; other processes serving the same database see it within the cache lifetime.
/// </summary>
internal sealed class ApiTokenCache(IOptions<AccessOptions> options)
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _epoch;

    /// <summary>Bumped by every eviction: a look-up that started before it does not fill the cache.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    public (SojournUser? User, string? Scope) TryGet(string hash, DateTimeOffset now)
    {
        if (_entries.TryGetValue(hash, out var entry))
        {
            if (entry.Until > now)
            {
                return (entry.User, entry.Scope);
            }

            _entries.TryRemove(new KeyValuePair<string, Entry>(hash, entry));
        }

        return (null, null);
    }

    public void Set(string hash, SojournUser user, string scope, DateTime tokenExpiresAt, DateTimeOffset now, long epoch)
    {
        ArgumentNullException.ThrowIfNull(user);
        var seconds = options.Value.TokenCacheSeconds;
        if (seconds <= 0)
        {
            return;
        }

        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        var until = now.AddSeconds(seconds);
        var expires = new DateTimeOffset(DateTime.SpecifyKind(tokenExpiresAt, DateTimeKind.Utc));
        _entries[hash] = new Entry(user, scope, until < expires ? until : expires);
        if (Epoch != epoch)
        {
            // An eviction ran while this look-up read the database: its result may be stale.
            _entries.TryRemove(hash, out _);
        }
    }

    public void EvictToken(string hash)
    {
        Interlocked.Increment(ref _epoch);
        _entries.TryRemove(hash, out _);
    }

    public void EvictUser(string userId)
    {
        Interlocked.Increment(ref _epoch);
        foreach (var (hash, entry) in _entries)
        {
            if (entry.User.Id == userId)
            {
                _entries.TryRemove(hash, out _);
            }
        }
    }

    private sealed record Entry(SojournUser User, string Scope, DateTimeOffset Until);
}

/// <summary>Authenticates <c>Authorization: Bearer sjt_…</c>.</summary>
internal sealed class ApiTokenHandler(
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
