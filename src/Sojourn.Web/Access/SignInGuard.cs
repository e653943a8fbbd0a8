using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sojourn.Data.Access;
using Sojourn.Web.Access.Accounts;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Access;

/// <summary>
/// Checks a sign-in so that every failure looks the same from outside: unknown account, wrong password, locked
/// account, missing or wrong one-time code all answer 401 (ErrorCode.SignInFailed) after the same password-hash work. Failures are
/// counted per (user name, source address), not per account: a stranger elsewhere cannot lock the holder out.
/// Past <see cref="AccessOptions.SignInFailuresBeforeBackOff"/> the pair waits, doubling each time, answered 429
/// with Retry-After.
/// </summary>
internal sealed class SignInGuard(
    UserManager<SojournUser> users, SignInThrottle throttle, TimeProvider time, IOptions<AccessOptions> options)
{
    /// <summary>After a successful <see cref="CheckAsync"/>: whether the sign-in passed the one-time code.</summary>
    public bool SecondFactorPassed { get; private set; }

    public Task<(SojournUser? User, ProblemHttpResult? Problem)> CheckAsync(AccountApi.SignInRequest request, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(request);
        return GuardAsync(request.UserName, http, async user =>
        {
            var password = request.Password ?? "";
            if (user?.PasswordHash is null)
            {
                // The same PBKDF2 work as for a real account, so timing does not tell which accounts exist.
                Dummy.Verify(users.PasswordHasher, password);
                return false;
            }

            // An initial password opens only the holder's activation (POST /api/v1/auth/activate), never a session.
            var ok = await users.CheckPasswordAsync(user, password) && !user.MustActivate && !await users.IsLockedOutAsync(user);
            if (ok && (Roles.RequiresSecondFactor(user.Role) || user.TwoFactorEnabled))
            {
                var code = (request.Totp ?? "").Replace(" ", "", StringComparison.Ordinal);
                ok = code.Length > 0 && await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code);
                SecondFactorPassed = ok;
            }

            return ok;
        });
    }

    /// <summary>
    /// The holder's first sign-in: the user name and both halves of the activation code (creator's and approver's).
    /// Fails exactly like a sign-in (ErrorCode.SignInFailed, same hashing work, same back-off).
    /// </summary>
    public Task<(SojournUser? User, ProblemHttpResult? Problem)> CheckActivationAsync(
        string? userName, string? activationCode, HttpContext http) =>
        GuardAsync(userName, http, async user =>
        {
            var code = (activationCode ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
            if (user is { MustActivate: true, PasswordHash: not null } && code.Length == 2 * AccountActivation.HalfLength
                && await users.GetAuthenticationTokenAsync(user, AccountActivation.Provider, AccountActivation.ApproverHalf) is { } approverHash)
            {
                var first = await users.CheckPasswordAsync(user, code[..AccountActivation.HalfLength]);
                var second = users.PasswordHasher.VerifyHashedPassword(user, approverHash, code[AccountActivation.HalfLength..]) != PasswordVerificationResult.Failed;
                return first && second && !await users.IsLockedOutAsync(user);
            }

            // Two hashes' work, as for a real activation.
            Dummy.Verify(users.PasswordHasher, code);
            Dummy.Verify(users.PasswordHasher, code);
            return false;
        });

    /// <summary>
    /// The part every check shares: the back-off for (user name, source), the account lookup, and one answer for
    /// every failure; <paramref name="verify"/> gets the account (null when unknown) and does the hashing work.
    /// </summary>
    private async Task<(SojournUser? User, ProblemHttpResult? Problem)> GuardAsync(
        string? userName, HttpContext http, Func<SojournUser?, Task<bool>> verify)
    {
        ArgumentNullException.ThrowIfNull(http);
        var name = (userName ?? "").Trim();
        var key = SignInThrottle.Key(name, http.Connection.RemoteIpAddress?.ToString());
        var now = time.GetUtcNow();
        if (throttle.WaitFor(key, now) is { } wait)
        {
            return (null, BackOff(http, wait));
        }

        var user = name.Length == 0 || name.Length > 256 ? null : await users.FindByNameAsync(name);
        if (!await verify(user))
        {
            // This failure still gets the ordinary answer; a wait it starts applies to the next attempts.
            throttle.Fail(key, now, options.Value);
            return (null, Failed());
        }

        throttle.Succeed(key);
        return (user, null);
    }

    public static ProblemHttpResult Failed() =>
        ApiProblems.Result(ErrorCode.SignInFailed);

    private static ProblemHttpResult BackOff(HttpContext http, TimeSpan wait)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return ApiProblems.Result(ErrorCode.SignInBackOff);
    }

    /// <summary>A hash to verify against when there is no account, so the work (and time) is the same.</summary>
    private static class Dummy
    {
        private static readonly SojournUser User = new() { UserName = "-" };
        private static string? _hash;

        public static void Verify(IPasswordHasher<SojournUser> hasher, string password) =>
            hasher.VerifyHashedPassword(User, _hash ??= hasher.HashPassword(User, Convert.ToHexString(RandomNumberGenerator.GetBytes(16))), password);
    }
}

/// <summary>Failed sign-ins per (user name, source), in this process; back-off doubles from the threshold on.</summary>
internal sealed class SignInThrottle
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<string, State> _states = new(StringComparer.Ordinal);

    /// <summary>Hashed, so the table holds no user names (which may be identity numbers typed by mistake).</summary>
    public static string Key(string userName, string? source) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(userName.ToUpperInvariant() + "\n" + (source ?? "unknown"))));

    public TimeSpan? WaitFor(string key, DateTimeOffset now) =>
        _states.TryGetValue(key, out var s) && s.Until > now ? s.Until - now : null;

    /// <summary>Counts a failure; the wait it starts, if any.</summary>
    public TimeSpan? Fail(string key, DateTimeOffset now, AccessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (_states.Count >= MaxEntries)
        {
            _states.Clear();
        }

        var state = _states.AddOrUpdate(
            key,
            _ => new State(1, DateTimeOffset.MinValue),
            (_, s) =>
            {
                var failures = s.Failures + 1;
                var over = failures - options.SignInFailuresBeforeBackOff;
                if (over < 0)
                {
                    return s with { Failures = failures };
                }

                var seconds = Math.Min(options.SignInBackOffSeconds * Math.Pow(2, Math.Min(over, 20)), options.SignInBackOffMaxSeconds);
                return new State(failures, now.AddSeconds(seconds));
            });
        return state.Until > now ? state.Until - now : null;
    }

    public void Succeed(string key) => _states.TryRemove(key, out _);

    private sealed record State(int Failures, DateTimeOffset Until);
}

/// <summary>
/// RFC 6238 codes (30 s, 6 digits, HMAC-SHA1 as authenticator apps compute them) accepted within one step of drift
/// and each at most once per account: the last accepted step is kept with the account (Identity's token table), and
/// saving it is guarded by the account's concurrency stamp, so two requests racing with one code cannot both pass.
/// </summary>
internal sealed class OneTimeCodeProvider(TimeProvider time) : IUserTwoFactorTokenProvider<SojournUser>
{
    public const string Name = "SojournTotp";
    private const string Store = "[AspNetUserStore]";
    private const string LastStep = "LastTotpStep";

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<SojournUser> manager, SojournUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        return !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));
    }

    /// <summary>Codes come from the holder's authenticator app, never from the server.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<SojournUser> manager, SojournUser user) => Task.FromResult("");

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<SojournUser> manager, SojournUser user)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(user);
        if (token is not { Length: 6 } || !token.All(char.IsAsciiDigit))
        {
            return false;
        }

        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrWhiteSpace(key))
        {
            return false;
        }

        var secret = FromBase32(key);
        var now = time.GetUtcNow().ToUnixTimeSeconds() / 30;
        long? matched = null;
        for (var step = now - 1; step <= now + 1; step++)
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Code(secret, step)), Encoding.ASCII.GetBytes(token)))
            {
                matched = step;
            }
        }

        if (matched is not { } accepted)
        {
            return false;
        }

        var last = await manager.GetAuthenticationTokenAsync(user, Store, LastStep);
        if (long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var used) && used >= accepted)
        {
            return false;
        }

        try
        {
            var saved = await manager.SetAuthenticationTokenAsync(user, Store, LastStep, accepted.ToString(CultureInfo.InvariantCulture));
            return saved.Succeeded;
        }
        catch (DbUpdateException)
        {
            // Another request with a code for this account saved its step first (the token row's key).
            return false;
        }
    }

    public static string Code(byte[] secret, long step)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var counter = BitConverter.GetBytes(step);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(counter);
        }

#pragma warning disable CA5350 // RFC 6238 as authenticator apps implement it is HMAC-SHA1.
        var hash = HMACSHA1.HashData(secret, counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0F;
        var binary = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    private static byte[] FromBase32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var output = new List<byte>();
        int bits = 0, value = 0;
        foreach (var c in text.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant())
        {
            var index = alphabet.IndexOf(c, StringComparison.Ordinal);
            if (index < 0)
            {
                continue;
            }

            value = (value << 5) | index;
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)(value >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. output];
    }
}
