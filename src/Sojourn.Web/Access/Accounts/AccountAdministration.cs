using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Sojourn.Application.Actors;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Web.Access.Audit;
using static Sojourn.Web.Access.Accounts.AccountApi;

namespace Sojourn.Web.Access.Accounts;

/// <summary>
/// Accounts as the administrator's endpoints and pages manage them: the list (all, or one station's) and locking.
/// One copy for both; a change is made inside the caller's audit transaction (the endpoint's or the page's), so the
/// change and its entry commit together.
/// </summary>
public sealed class AccountAdministration(SojournDbContext db, UserManager<SojournUser> users, ApiTokenService tokens, AuditRecorder recorder)
{
    /// <summary>Accounts by user name (at most 500); with <paramref name="station"/>, only those that reach that station.</summary>
    public async Task<List<AccountDto>> ListAsync(string? station, CancellationToken cancellationToken)
    {
        var all = await db.Users.AsNoTracking().OrderBy(u => u.UserName).Take(500).ToListAsync(cancellationToken);
        return [.. all.Where(u => station is null || SojournUser.SplitCodes(u.Stations).Contains(station)).Select(ToDto)];
    }

    /// <summary>
    /// Locks until unlocked (sign-in refused, every token refused at once, cookie sessions end at their next
    /// validation), or unlocks. Nobody locks themselves; only an approval opens a new account.
    /// </summary>
    public async Task<Outcome<AccountDto>> SetLockAsync(string accountId, ActorIdentity actor, bool locked, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var user = await users.FindByIdAsync(accountId);
        if (user is null)
        {
            return new Failure(ErrorCode.AccountNotFound);
        }

        if (locked && user.Id == actor.AccountId)
        {
            return new Failure(ErrorCode.CannotLockSelf);
        }

        if (!locked && user.PendingChange == AccountApproval.Create)
        {
            return new Failure(ErrorCode.AccountPendingApproval);
        }

        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
        if (!locked)
        {
            await users.ResetAccessFailedCountAsync(user);
        }

        await users.UpdateSecurityStampAsync(user);
        await recorder.RecordAccountActionAsync(actor, locked ? "LockAccount" : "UnlockAccount", user.Id, cancellationToken);
        tokens.Forget(user.Id);
        return ToDto(user);
    }
}
