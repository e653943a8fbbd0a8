using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Sojourn.Application.Actors;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Security;
using Sojourn.Domain;
using Sojourn.Web.Access.Audit;
using Sojourn.Web.Hosting;
using static Sojourn.Web.Access.Accounts.AccountApi;

namespace Sojourn.Web.Access.Accounts;

/// <summary>
/// Accounts as the administrator's endpoints and pages manage them: the list (all, or one station's), locking, and
/// the two-person requests (create, change, approve, reject; docs/adr/0005-account-separation-of-duties.md). One copy
/// for both; a change is made inside the caller's audit transaction (the endpoint's or the page's), so the change and
/// its entry commit together.
/// </summary>
internal sealed class AccountAdministration(
    SojournDbContext db, UserManager<SojournUser> users, ApiTokenService tokens, AuditRecorder recorder,
    IdentityProtector protector, ChinaClock clock, TimeProvider time)
{
    /// <summary>Accounts by user name (at most 500); with <paramref name="station"/>, only those that reach that station.</summary>
    public async Task<List<AccountDto>> ListAsync(string? station, CancellationToken cancellationToken)
    {
        var all = await db.Users.AsNoTracking().OrderBy(u => u.UserName).Take(500).ToListAsync(cancellationToken);
        return [.. all.Where(u => station is null || SojournUser.SplitCodes(u.Stations).Contains(station)).Select(ToDto)];
    }

    /// <summary>
    /// What is wrong with a request for a new account, field by field (named as the request names them): the rules the
    /// request is held to, run by the page as the user types and by <see cref="RequestAccountAsync"/> on submit.
    /// </summary>
    public static Dictionary<string, string[]> Validate(AccountRequest request, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.UserName))
        {
            errors["userName"] = [Messages.Format("Field_Required", Messages.Get("Account_Field_UserName"))];
        }
        else if (!request.UserName.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@' or '+'))
        {
            errors["userName"] = [Messages.Get("Account_UserNameRule")];
        }

        if (request.Role is null || !Roles.All.Contains(request.Role))
        {
            errors["role"] = [Messages.Format("Field_OneOf", Messages.Get("Account_Field_Role"), string.Join(", ", Roles.All))];
        }

        if (request.Role == Roles.Migrant && !CitizenId.TryParse(request.IdNumber, today, out _, out _))
        {
            errors["idNumber"] = [Messages.Get("Account_MigrantNeedsIdNumber")];
        }

        // The office is copied into every audit entry of the account: it must fit that column.
        if (request.Office?.Trim() is { Length: > Data.Validation.ColumnLengths.OfficeName })
        {
            errors["office"] = [Messages.Format("Field_TooLong", Messages.Get("Account_Field_Office"), Data.Validation.ColumnLengths.OfficeName)];
        }

        ValidCodes(request.Divisions, errors);
        return errors;
    }

    /// <summary>
    /// A request for a new account: it stays locked until someone else approves it; no password, no authenticator key
    /// in the answer, only the creator's half of the holder's activation code.
    /// </summary>
    public async Task<Outcome<CreatedAccountDto>> RequestAccountAsync(AccountRequest request, ActorIdentity actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = Validate(request, clock.Today);
        if (errors.Count > 0)
        {
            return Failure.Validation(errors);
        }

        string? personHmac = null;
        if (request.Role == Roles.Migrant && CitizenId.TryParse(request.IdNumber, clock.Today, out var id, out _))
        {
            personHmac = protector.LookupHash(id.Value);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var user = new SojournUser
        {
            UserName = request.UserName!.Trim(),
            Role = request.Role!,
            Office = request.Office?.Trim() ?? "",
            DisplayName = request.DisplayName?.Trim() ?? "",
            Divisions = string.Join(',', ValidCodes(request.Divisions, errors)),
            Stations = string.Join(',', (request.Stations ?? []).Select(s => s.Trim()).Where(s => s.Length > 0)),
            PersonIdHmac = personHmac,
            CreatedAt = now,
            PendingChange = AccountApproval.Create,
            ChangeRequestedBy = actor.AccountId,
            ChangeRequestedAt = now,
            MustActivate = true,
            LockoutEnabled = true,
            LockoutEnd = DateTimeOffset.MaxValue,
        };
        var firstHalf = AccountActivation.NewHalf();
        user.PasswordHash = users.PasswordHasher.HashPassword(user, firstHalf);
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            return Failure.Validation(new Dictionary<string, string[]> { ["userName"] = [.. created.Errors.Select(e => e.Code)] });
        }

        await recorder.RecordAccountActionAsync(actor, "CreateAccount", user.Id, cancellationToken);
        return new CreatedAccountDto(ToDto(user), firstHalf);
    }

    /// <summary>
    /// What is wrong with a requested change of an account now in <paramref name="currentRole"/>, field by field: run
    /// by the page as the administrator types and by <see cref="RequestChangeAsync"/> on submit. A migrant account
    /// keeps its role (it is tied to a person), and no other account becomes a migrant's.
    /// </summary>
    public static Dictionary<string, string[]> ValidateChange(AccountChangeRequest request, string currentRole)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        var allowed = currentRole == Roles.Migrant ? [Roles.Migrant] : Roles.All.Where(r => r != Roles.Migrant).ToArray();
        if (request.Role is not null && !allowed.Contains(request.Role))
        {
            errors["role"] = [Messages.Format("Account_ChangeRoleRule", Messages.Get("Account_Field_Role"), string.Join(", ", allowed))];
        }

        if (request.Divisions is not null)
        {
            ValidCodes(request.Divisions, errors);
        }

        return errors;
    }

    /// <summary>A change of role or reach (widening or not) waits for approval like a new account.</summary>
    public async Task<Outcome<AccountDto>> RequestChangeAsync(
        string accountId, AccountChangeRequest request, ActorIdentity actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var user = await users.FindByIdAsync(accountId);
        if (user is null)
        {
            return new Failure(ErrorCode.AccountNotFound);
        }

        var errors = ValidateChange(request, user.Role);
        if (errors.Count > 0)
        {
            return Failure.Validation(errors);
        }

        var divisions = request.Divisions is null ? null : ValidCodes(request.Divisions, errors);

        if (user.PendingChange is not null)
        {
            return new Failure(ErrorCode.AccountStateConflict, Messages.Get("Error_AccountStateConflict_Pending"));
        }

        user.PendingChange = AccountApproval.Change;
        user.PendingRole = request.Role ?? user.Role;
        user.PendingDivisions = divisions is null ? user.Divisions : string.Join(',', divisions);
        user.PendingStations = request.Stations is null ? user.Stations : string.Join(',', request.Stations.Select(s => s.Trim()));
        user.ChangeRequestedBy = actor.AccountId;
        user.ChangeRequestedAt = time.GetUtcNow().UtcDateTime;
        await users.UpdateAsync(user);
        await recorder.RecordAccountActionAsync(actor, "RequestAccountChange", user.Id, cancellationToken);
        return ToDto(user);
    }

    /// <summary>
    /// Pending requests, oldest first: those the actor may decide (an unrestricted administrator sees all), and, so a
    /// requester can follow them, the actor's own (which the actor may withdraw but not approve).
    /// </summary>
    public async Task<List<AccountDto>> PendingAsync(ActorIdentity actor, bool includeOwn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var pending = await db.Users.AsNoTracking().Where(u => u.PendingChange != null)
            .OrderBy(u => u.ChangeRequestedAt).Take(500).ToListAsync(cancellationToken);
        return [.. pending.Where(u => Covers(actor, u) || (includeOwn && u.ChangeRequestedBy == actor.AccountId)).Select(ToDto)];
    }

    /// <summary>
    /// Approves a pending request: never the approver's own request or own account (30025), only within the approver's
    /// reach (30026). A new account opens (still to be activated by its holder with both halves of the code).
    /// </summary>
    public async Task<Outcome<ApprovedDto>> ApproveAsync(string accountId, ActorIdentity actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var decided = await PendingForDecisionAsync(accountId, actor, requesterMayWithdraw: false);
        if (!decided.TryGetValue(out var user, out var failure))
        {
            return failure;
        }

        string? secondHalf = null;
        var operation = user.PendingChange == AccountApproval.Create ? "ApproveAccountCreate" : "ApproveAccountChange";
        if (user.PendingChange == AccountApproval.Create)
        {
            user.LockoutEnd = null;
            secondHalf = AccountActivation.NewHalf();
            await users.SetAuthenticationTokenAsync(
                user, AccountActivation.Provider, AccountActivation.ApproverHalf, users.PasswordHasher.HashPassword(user, secondHalf));
        }
        else
        {
            user.Role = user.PendingRole ?? user.Role;
            user.Divisions = user.PendingDivisions ?? user.Divisions;
            user.Stations = user.PendingStations ?? user.Stations;
        }

        ClearPending(user);
        await users.UpdateAsync(user);
        // Sessions and cached tokens pick up the new role and reach.
        await users.UpdateSecurityStampAsync(user);
        await recorder.RecordAccountActionAsync(actor, operation, user.Id, cancellationToken);
        tokens.Forget(user.Id);
        return new ApprovedDto(ToDto(user), secondHalf);
    }

    /// <summary>
    /// Rejects a pending request (or the requester withdraws it). A rejected new account is deleted (its audit entries
    /// stay): the answer then carries <see cref="RejectedDto.Deleted"/> and the account as it was requested.
    /// </summary>
    public async Task<Outcome<RejectedDto>> RejectAsync(string accountId, ActorIdentity actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var decided = await PendingForDecisionAsync(accountId, actor, requesterMayWithdraw: true);
        if (!decided.TryGetValue(out var user, out var failure))
        {
            return failure;
        }

        var create = user.PendingChange == AccountApproval.Create;
        var before = ToDto(user);
        if (create)
        {
            // A refused account never existed for anyone: only its audit trail stays.
            await users.DeleteAsync(user);
        }
        else
        {
            ClearPending(user);
            await users.UpdateAsync(user);
        }

        await recorder.RecordAccountActionAsync(actor, create ? "RejectAccountCreate" : "RejectAccountChange", user.Id, cancellationToken);
        return new RejectedDto(create ? before : ToDto(user), create);
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

    private static bool Covers(ActorIdentity actor, SojournUser user) =>
        AccountApproval.Covers(actor.Role, actor.Scope.Divisions, actor.Scope.Stations, user);

    private async Task<Outcome<SojournUser>> PendingForDecisionAsync(string accountId, ActorIdentity actor, bool requesterMayWithdraw)
    {
        var user = await users.FindByIdAsync(accountId);
        if (user is null)
        {
            return new Failure(ErrorCode.AccountNotFound);
        }

        if (user.PendingChange is null)
        {
            return new Failure(ErrorCode.NoPendingAccountChange);
        }

        var withdraw = requesterMayWithdraw && user.ChangeRequestedBy == actor.AccountId && actor.AccountId.Length > 0;
        if (!withdraw && AccountApproval.IsOwnRequestOrAccount(actor.AccountId, user))
        {
            return new Failure(ErrorCode.OwnApprovalRefused);
        }

        if (!withdraw && !Covers(actor, user))
        {
            return new Failure(ErrorCode.OutsideApprovalReach);
        }

        return user;
    }

    /// <summary>
    /// A reach is a GB/T 2260 prefix (14 province, 1401 prefecture, 140105 county) or a township (9) or village (12)
    /// code under a county: a prefix must begin some current division of the table (1101 has no row of its own: 北京's
    /// districts are its rows), a longer code's first six digits must be one.
    /// </summary>
    private static bool IsDivision(string code) => code.Length switch
    {
        2 or 4 => Rules.Divisions.DivisionTable.Default.All.Any(d => d.Code.StartsWith(code, StringComparison.Ordinal)),
        6 or 9 or 12 => Rules.Divisions.DivisionTable.Default.Find(code[..6]) is not null,
        _ => false,
    };

    private static void ClearPending(SojournUser user)
    {
        user.PendingChange = null;
        user.PendingRole = null;
        user.PendingDivisions = null;
        user.PendingStations = null;
        user.ChangeRequestedBy = null;
        user.ChangeRequestedAt = null;
    }

    private static string[] ValidCodes(IReadOnlyList<string>? codes, Dictionary<string, string[]> errors)
    {
        var divisions = (codes ?? []).Select(d => d.Trim()).ToArray();
        if (divisions.Any(d => d.Length is < 2 or > 12 || !d.All(char.IsAsciiDigit)))
        {
            errors["divisions"] = [Messages.Get("Account_DivisionCodesRule")];
        }
        else if (divisions.FirstOrDefault(d => !IsDivision(d)) is { } unknown)
        {
            errors["divisions"] = [Messages.Format("Account_DivisionUnknown", unknown)];
        }

        return divisions;
    }
}
