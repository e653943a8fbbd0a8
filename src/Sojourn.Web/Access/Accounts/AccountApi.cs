using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sojourn.Application.Actors;
using Sojourn.Application.Audit;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Security;
using Sojourn.Domain;
using Sojourn.Web.Access.Audit;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Access.Accounts;

/// <summary>Sign-in (API and form), API tokens, accounts (administrator).</summary>
public static class AccountApi
{
    public sealed record SignInRequest(string? UserName, string? Password, string? Totp);

    public sealed record SignInResponse(string Token, DateTime ExpiresAt, string Role);

    /// <summary>An integration token for <paramref name="AccountId"/>: what for, read or read-write, how many days (at most the role's).</summary>
    public sealed record TokenRequest(string? AccountId, string? Purpose, string? Scope, int? Days);

    public sealed record IssuedTokenDto(Guid Id, string Token, string AccountId, string Role, string Purpose, string Scope, DateTime ExpiresAt);

    /// <summary>No password: the holder chooses one at activation (docs/adr/0005-account-separation-of-duties.md).</summary>
    public sealed record AccountRequest(
        string? UserName, string? Role, string? Office, string? DisplayName,
        IReadOnlyList<string>? Divisions, IReadOnlyList<string>? Stations, string? IdNumber);

    public sealed record AccountChangeRequest(string? Role, IReadOnlyList<string>? Divisions, IReadOnlyList<string>? Stations);

    public sealed record PendingDto(string Kind, string? Role, IReadOnlyList<string> Divisions, IReadOnlyList<string> Stations, string? RequestedBy, DateTime? RequestedAt);

    public sealed record AccountDto(
        string Id, string UserName, string Role, string Office, IReadOnlyList<string> Divisions, IReadOnlyList<string> Stations,
        bool SecondFactor, bool Locked, bool MustActivate, PendingDto? Pending);

    /// <summary>
    /// The creator gets the first half of the activation code, the approver the second: the holder needs both, so
    /// neither person alone can open the account (and neither ever sees its password or authenticator key).
    /// </summary>
    public sealed record CreatedAccountDto(AccountDto Account, string ActivationCodeFirstHalf);

    public sealed record ApprovedDto(AccountDto Account, string? ActivationCodeSecondHalf);

    /// <summary>A rejected (or withdrawn) request; a rejected new account is <paramref name="Deleted"/>.</summary>
    public sealed record RejectedDto(AccountDto Account, bool Deleted);

    public sealed record ActivateRequest(string? UserName, string? ActivationCode, string? NewPassword);

    /// <summary>Shown once, to the holder only: the authenticator key for roles with a second factor.</summary>
    public sealed record ActivatedDto(string UserName, string? AuthenticatorKey, string? AuthenticatorUri);

    public sealed record WhoAmIDto(string Id, string UserName, string Role, string Office, IReadOnlyList<string> Divisions, IReadOnlyList<string> Stations);

    public static void Map(IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/auth").WithTags("登录 Access");
        auth.MapPost("/sign-in", SignInAsync).WithName("SignIn").NotReplayed().WithSummary("用户名、密码（民警及部门人员另需动态口令）登录，取得访问令牌")
            .RequireRateLimiting(AccessModule.SignInLimit).DisableAntiforgery();
        auth.MapPost("/tokens", CreateTokenAsync).WithName("CreateApiToken")
            .WithSummary("管理员为指定账号签发系统对接令牌（用途、只读或读写、不超过角色上限；须网页登录，令牌不能签发令牌）");
        auth.MapPost("/activate", ActivateAsync).WithName("ActivateAccount")
            .WithSummary("账号本人首次登录：两半激活码（创建人、批准人各一半）＋自设密码；需动态口令的角色在此取得密钥（只显示这一次）")
            .RequireRateLimiting(AccessModule.SignInLimit).DisableAntiforgery();
        auth.MapGet("/me", WhoAmI).WithName("WhoAmI").WithSummary("当前账号");
        auth.MapGet("/tokens", ListMyTokensAsync).WithName("ListMyTokens").WithSummary("本账号的令牌（名称、签发、到期、吊销时间；不含令牌本身）");
        auth.MapDelete("/tokens/{tokenId:guid}", RevokeMyTokenAsync).WithName("RevokeMyToken").WithSummary("吊销本账号的一个令牌，立即生效");

        var admin = app.MapGroup("/api/v1/admin").WithTags("账号管理 Administration");
        admin.MapPost("/accounts", CreateAccountAsync).WithName("CreateAccount").WithSummary("申请创建账号（角色、辖区）：另一人批准后才生效");
        admin.MapPost("/accounts/{accountId}/changes", RequestChangeAsync).WithName("RequestAccountChange").WithSummary("申请变更账号的角色或辖区：另一人批准后才生效");
        admin.MapGet("/account-changes", ListPendingAsync).WithName("ListPendingAccountChanges").WithSummary("待批准的账号创建和变更（本人辖区内）");
        admin.MapPost("/accounts/{accountId}/approve", ApproveAsync).WithName("ApproveAccountChange").WithSummary("批准账号创建或变更（不能批准自己提出的）");
        admin.MapPost("/accounts/{accountId}/reject", RejectAsync).WithName("RejectAccountChange").WithSummary("驳回账号创建或变更");
        admin.MapGet("/accounts", ListAccountsAsync).WithName("ListAccounts").WithSummary("账号列表");
        admin.MapGet("/accounts/{accountId}/tokens", ListAccountTokensAsync).WithName("ListAccountTokens").WithSummary("某账号的令牌");
        admin.MapDelete("/accounts/{accountId}/tokens/{tokenId:guid}", RevokeAccountTokenAsync).WithName("RevokeAccountToken").WithSummary("吊销某账号的令牌，立即生效");
        admin.MapPost("/accounts/{accountId}/lock", LockAccountAsync).WithName("LockAccount").WithSummary("停用账号：不能登录，已签发的令牌立即失效");
        admin.MapPost("/accounts/{accountId}/unlock", UnlockAccountAsync).WithName("UnlockAccount").WithSummary("恢复账号");

        app.MapGet("/account/sign-in", SignInPage).ExcludeFromDescription();
        app.MapPost("/account/sign-in", SignInFormAsync).ExcludeFromDescription().RequireRateLimiting(AccessModule.SignInLimit);
        app.MapPost("/account/sign-out", SignOutFormAsync).ExcludeFromDescription();
        // The language switch: a culture cookie (RequestLocalization reads it), then back to the page.
        app.MapGet("/culture", (string? c, string? back, HttpContext http) =>
        {
            var culture = c == "en" ? "en" : "zh-CN";
            http.Response.Cookies.Append(
                Microsoft.AspNetCore.Localization.CookieRequestCultureProvider.DefaultCookieName,
                Microsoft.AspNetCore.Localization.CookieRequestCultureProvider.MakeCookieValue(new Microsoft.AspNetCore.Localization.RequestCulture(culture)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), SameSite = SameSiteMode.Lax, HttpOnly = true, IsEssential = true });
            return Results.LocalRedirect(LocalOnly(back) ?? "/");
        }).ExcludeFromDescription();
        app.MapGet("/account/sign-in/oidc", SignInOidcAsync).ExcludeFromDescription().RequireRateLimiting(AccessModule.SignInLimit);
    }

    private static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> SignInAsync(
        SignInRequest request, HttpContext http, SignInGuard guard,
        ApiTokenService tokens, IOptions<AccessOptions> options, CancellationToken cancellationToken)
    {
        var (user, problem) = await guard.CheckAsync(request, http);
        if (user is null)
        {
            return problem!;
        }

        var (token, expires) = await tokens.IssueAsync(user, "session", TimeSpan.FromHours(options.Value.SessionTokenHours), cancellationToken);
        return TypedResults.Ok(new SignInResponse(token, expires, user.Role));
    }

    /// <summary>
    /// Integration tokens: an administrator, in an interactive (cookie) session, issues one for a named account, purpose
    /// and scope, for at most the role's days (access.json apiTokenMaxDays). A bearer-token request is refused, so a
    /// token never mints a token; an official's token needs the administrator's session to have passed the second factor.
    /// </summary>
    private static async Task<Results<Created<IssuedTokenDto>, ProblemHttpResult>> CreateTokenAsync(
        TokenRequest request, HttpContext http, UserManager<SojournUser> users, ApiTokenService tokens,
        AccessPolicy policy, AuditRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (http.User.Identity?.AuthenticationType == ApiTokenService.Scheme)
        {
            return ApiProblems.Result(ErrorCode.TokenCannotIssueToken);
        }

        var errors = new Dictionary<string, string[]>();
        var purpose = request.Purpose?.Trim() ?? "";
        if (purpose.Length == 0)
        {
            errors["purpose"] = ["必填：令牌的用途（对接的系统）"];
        }
        else if (purpose.Length > Data.Validation.ColumnLengths.TokenName)
        {
            errors["purpose"] = [Messages.Format("Field_TooLong", "用途", Data.Validation.ColumnLengths.TokenName)];
        }

        if (!ApiTokenScopes.IsKnown(request.Scope))
        {
            errors["scope"] = [$"应为 {ApiTokenScopes.Read} 或 {ApiTokenScopes.ReadWrite}"];
        }

        var user = string.IsNullOrWhiteSpace(request.AccountId) ? null : await users.FindByIdAsync(request.AccountId);
        if (user is null)
        {
            if (string.IsNullOrWhiteSpace(request.AccountId))
            {
                errors["accountId"] = ["必填：为哪个账号签发"];
            }

            return errors.Count > 0 ? ApiProblems.Validation(errors) : AccountNotFound();
        }

        if (!policy.ApiTokenMaxDays.TryGetValue(user.Role, out var maxDays))
        {
            errors["accountId"] = [$"角色 {user.Role} 不签发对接令牌"];
        }
        else if (request.Days is { } days && (days < 1 || days > maxDays))
        {
            errors["days"] = [$"应为 1–{maxDays} 天（该角色的上限）"];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        if (user.PendingChange == AccountApproval.Create || user.MustActivate || await users.IsLockedOutAsync(user))
        {
            return ApiProblems.Result(ErrorCode.AccountStateConflict, Messages.Get("Error_AccountStateConflict_NotActive"));
        }

        if (Roles.IsOfficial(user.Role) && http.User.FindFirst(SojournClaims.SecondFactor)?.Value != "mfa")
        {
            return ApiProblems.Result(ErrorCode.SecondFactorSessionRequired);
        }

        // The token row and its audit entry commit together or not at all.
        var issued = await AuditedAsync(http, "IssueApiToken", async (services, actor, ct) =>
        {
            var (id, token, expires) = await services.GetRequiredService<ApiTokenService>().IssueAsync(
                user, purpose, TimeSpan.FromDays(request.Days ?? maxDays), request.Scope!, actor.Identity.AccountId, ct);
            await services.GetRequiredService<AuditRecorder>().RecordAccountActionAsync(actor.Identity, "IssueApiToken", user.Id, ct);
            return Outcome.Success(new IssuedTokenDto(id, token, user.Id, user.Role, purpose, request.Scope!, expires));
        });
        return issued.TryGetValue(out var dto, out var failure)
            ? TypedResults.Created($"/api/v1/admin/accounts/{user.Id}/tokens", dto)
            : ApiProblems.Result(failure);
    }

    private static async Task<Ok<List<ApiTokenDto>>> ListMyTokensAsync(HttpContext http, ApiTokenService tokens, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tokens.ListAsync(http.User.AccountId(), cancellationToken));

    private static Task<Results<NoContent, ProblemHttpResult>> RevokeMyTokenAsync(Guid tokenId, HttpContext http) =>
        RevokeAsync("RevokeMyToken", http.User.AccountId(), tokenId, http);

    private static async Task<Results<Ok<List<ApiTokenDto>>, ProblemHttpResult>> ListAccountTokensAsync(
        string accountId, UserManager<SojournUser> users, ApiTokenService tokens, CancellationToken cancellationToken) =>
        await users.FindByIdAsync(accountId) is null
            ? AccountNotFound()
            : TypedResults.Ok(await tokens.ListAsync(accountId, cancellationToken));

    private static Task<Results<NoContent, ProblemHttpResult>> RevokeAccountTokenAsync(string accountId, Guid tokenId, HttpContext http) =>
        RevokeAsync("RevokeAccountToken", accountId, tokenId, http);

    /// <summary>Revokes one of the account's tokens; the revocation and its audit entry commit together.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string operation, string accountId, Guid tokenId, HttpContext http)
    {
        var revoked = await AuditedAsync(http, operation, async (services, actor, ct) =>
        {
            if (!await services.GetRequiredService<ApiTokenService>().RevokeAsync(accountId, tokenId, ct))
            {
                return new Failure(ErrorCode.TokenNotFound);
            }

            await services.GetRequiredService<AuditRecorder>().RecordAccountActionAsync(actor.Identity, operation, accountId, ct);
            return Outcome.Success(true);
        });
        return revoked.TryGetValue(out _, out var failure) ? TypedResults.NoContent() : ApiProblems.Result(failure);
    }

    /// <summary>Locks until unlocked: sign-in refused, every token refused at once, cookie sessions end at their next validation.</summary>
    private static Task<Results<Ok<AccountDto>, ProblemHttpResult>> LockAccountAsync(string accountId, HttpContext http) =>
        SetLockAsync(accountId, http, locked: true);

    private static Task<Results<Ok<AccountDto>, ProblemHttpResult>> UnlockAccountAsync(string accountId, HttpContext http) =>
        SetLockAsync(accountId, http, locked: false);

    private static async Task<Results<Ok<AccountDto>, ProblemHttpResult>> SetLockAsync(string accountId, HttpContext http, bool locked)
    {
        // The change and its audit entry commit together or not at all.
        var outcome = await AuditedAsync(http, locked ? "LockAccount" : "UnlockAccount", (services, actor, ct) =>
            services.GetRequiredService<AccountAdministration>().SetLockAsync(accountId, actor.Identity, locked, ct));
        return outcome.TryGetValue(out var account, out var failure) ? TypedResults.Ok(account) : ApiProblems.Result(failure);
    }


    /// <summary>
    /// An administrative change as one audited unit of work (<see cref="AuditedOperation"/>), as the signed-in caller:
    /// the change and the account entry it records commit together, or roll back together on a failure.
    /// </summary>
    private static Task<Outcome<T>> AuditedAsync<T>(
        HttpContext http, string operation, Func<IServiceProvider, CurrentActor, CancellationToken, Task<Outcome<T>>> useCase) =>
        AuditedOperation.RunAsync(
            http.RequestServices, http.RequestServices.GetRequiredService<CurrentActor>().Identity, operation, useCase, http.RequestAborted);

    private static ProblemHttpResult AccountNotFound() => ApiProblems.Result(ErrorCode.AccountNotFound);

    private static Ok<WhoAmIDto> WhoAmI(HttpContext http)
    {
        var scope = http.User.Scope();
        return TypedResults.Ok(new WhoAmIDto(
            http.User.AccountId(), http.User.Identity?.Name ?? "", http.User.Role() ?? "",
            http.User.FindFirst(SojournClaims.Office)?.Value ?? "", scope.Divisions, scope.Stations));
    }

    /// <summary>A request for a new account (AccountAdministration.RequestAccountAsync, the same as the page's).</summary>
    private static async Task<Results<Created<CreatedAccountDto>, ProblemHttpResult>> CreateAccountAsync(AccountRequest request, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The account and its audit entry commit together or not at all.
        var outcome = await AuditedAsync(http, "CreateAccount", (services, actor, ct) =>
            services.GetRequiredService<AccountAdministration>().RequestAccountAsync(request, actor.Identity, ct));
        return outcome.TryGetValue(out var created, out var failure)
            ? TypedResults.Created($"/api/v1/admin/accounts/{created.Account.Id}", created)
            : ApiProblems.Result(failure);
    }

    /// <summary>A change of role or reach (widening or not) waits for approval like a new account.</summary>
    private static async Task<Results<Accepted<AccountDto>, ProblemHttpResult>> RequestChangeAsync(
        string accountId, AccountChangeRequest request, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(request);
        var outcome = await AuditedAsync(http, "RequestAccountChange", (services, actor, ct) =>
            services.GetRequiredService<AccountAdministration>().RequestChangeAsync(accountId, request, actor.Identity, ct));
        return outcome.TryGetValue(out var account, out var failure)
            ? TypedResults.Accepted($"/api/v1/admin/accounts/{account.Id}", account)
            : ApiProblems.Result(failure);
    }

    /// <summary>Pending requests: all for an unrestricted administrator, otherwise those the caller may approve.</summary>
    private static async Task<Ok<List<AccountDto>>> ListPendingAsync(HttpContext http, AccountAdministration accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await accounts.PendingAsync(ClaimsActorSource.From(http), includeOwn: false, cancellationToken));

    private static async Task<Results<Ok<ApprovedDto>, ProblemHttpResult>> ApproveAsync(string accountId, HttpContext http)
    {
        // The decision and its audit entry commit together or not at all.
        var outcome = await AuditedAsync(http, "ApproveAccountChange", (services, actor, ct) =>
            services.GetRequiredService<AccountAdministration>().ApproveAsync(accountId, actor.Identity, ct));
        return outcome.TryGetValue(out var approved, out var failure) ? TypedResults.Ok(approved) : ApiProblems.Result(failure);
    }

    private static async Task<Results<Ok<AccountDto>, NoContent, ProblemHttpResult>> RejectAsync(string accountId, HttpContext http)
    {
        var outcome = await AuditedAsync(http, "RejectAccountChange", (services, actor, ct) =>
            services.GetRequiredService<AccountAdministration>().RejectAsync(accountId, actor.Identity, ct));
        if (!outcome.TryGetValue(out var rejected, out var failure))
        {
            return ApiProblems.Result(failure);
        }

        return rejected.Deleted ? TypedResults.NoContent() : TypedResults.Ok(rejected.Account);
    }

    /// <summary>
    /// The holder's first sign-in: both halves of the activation code and a password of the holder's own. A role with
    /// a second factor gets its authenticator key here, once, in this answer only.
    /// </summary>
    private static async Task<Results<Ok<ActivatedDto>, ProblemHttpResult>> ActivateAsync(
        ActivateRequest request, HttpContext http, SignInGuard guard, UserManager<SojournUser> users, AuditRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (user, problem) = await guard.CheckActivationAsync(request.UserName, request.ActivationCode, http);
        if (user is null)
        {
            return problem!;
        }

        var password = request.NewPassword ?? "";
        var failures = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, user, password);
            failures.AddRange(result.Errors.Select(e => e.Code));
        }

        if (failures.Count > 0)
        {
            return ApiProblems.Validation("newPassword", string.Join(", ", failures));
        }

        string? key = null;
        await using (var transaction = await recorder.BeginAsync(http.RequestAborted))
        {
            user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
            user.MustActivate = false;
            await users.RemoveAuthenticationTokenAsync(user, AccountActivation.Provider, AccountActivation.ApproverHalf);
            // Administrators too: issuing an official's token needs a session that passed the second factor.
            if (Roles.RequiresSecondFactor(user.Role) || user.Role == Roles.Administrator)
            {
                await users.ResetAuthenticatorKeyAsync(user);
                key = await users.GetAuthenticatorKeyAsync(user);
                await users.SetTwoFactorEnabledAsync(user, true);
            }

            await users.UpdateSecurityStampAsync(user);
            // Nobody is signed in yet: the entry names the account being activated as the one acting.
            var holder = new ActorIdentity(user.Id, user.UserName ?? "", user.Role, user.Office, ActorScope.Nobody, Ip: http.Connection.RemoteIpAddress?.ToString());
            await recorder.RecordAccountActionAsync(holder, "ActivateAccount", user.Id, http.RequestAborted);
            await transaction.CommitAsync(http.RequestAborted);
        }

        return TypedResults.Ok(new ActivatedDto(
            user.UserName ?? "", key, key is null ? null : AccountActivation.AuthenticatorUri(user.UserName ?? "", key)));
    }

    private static async Task<Ok<List<AccountDto>>> ListAccountsAsync(AccountAdministration accounts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await accounts.ListAsync(null, cancellationToken));

    private static RazorComponentResult<Components.Pages.SignInDocument> SignInPage(string? error, string? returnUrl) =>
        new RazorComponentResult<Components.Pages.SignInDocument>(new { Error = error, ReturnUrl = LocalOnly(returnUrl) });

    /// <summary>Only a path of this site may follow sign-in (no open redirect).</summary>
    private static string? LocalOnly(string? url) =>
        url is { Length: > 1 } u && u[0] == '/' && u[1] != '/' && u[1] != '\\' ? u : null;

    private static async Task<IResult> SignInFormAsync(
        [FromForm] string? userName, [FromForm] string? password, [FromForm] string? totp, [FromForm] string? returnUrl,
        HttpContext http, SignInGuard guard, SignInManager<SojournUser> signIn, TimeProvider time)
    {
        var (user, _) = await guard.CheckAsync(new SignInRequest(userName, password, totp), http);
        if (user is null)
        {
            var back = LocalOnly(returnUrl);
            return Results.Redirect("/account/sign-in?error=1" + (back is null ? "" : "&returnUrl=" + Uri.EscapeDataString(back)));
        }

        // The session remembers that it passed the second factor (needed to issue an official's token) and when it
        // began (the pages end it after Sojourn:Access:PageSessionMinutes).
        List<System.Security.Claims.Claim> claims =
        [
            new(Components.Infrastructure.SessionRevalidation.SignedInAt,
                time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ];
        if (guard.SecondFactorPassed)
        {
            claims.Add(new System.Security.Claims.Claim(SojournClaims.SecondFactor, "mfa"));
        }

        await signIn.SignInWithClaimsAsync(user, isPersistent: false, claims);
        return Results.Redirect(LocalOnly(returnUrl) ?? Components.Layout.Navigation.HomeOf(user.Role));
    }

    /// <summary>Ends the browser session (a form post with the anti-forgery token, so no other site can sign anyone out).</summary>
    private static async Task<IResult> SignOutFormAsync(SignInManager<SojournUser> signIn)
    {
        await signIn.SignOutAsync();
        return Results.Redirect("/account/sign-in");
    }

    /// <summary>Starts sign-in at the province's identity provider (Sojourn:Oidc); 404 when none is configured.</summary>
    private static async Task<IResult> SignInOidcAsync(Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider schemes)
    {
        if (await schemes.GetSchemeAsync(AccessModule.OidcScheme) is null)
        {
            return Results.NotFound();
        }

        return Results.Challenge(new Microsoft.AspNetCore.Authentication.AuthenticationProperties { RedirectUri = "/" }, [AccessModule.OidcScheme]);
    }

    internal static AccountDto ToDto(SojournUser u) => new(
        u.Id, u.UserName ?? "", u.Role, u.Office, SojournUser.SplitCodes(u.Divisions), SojournUser.SplitCodes(u.Stations), u.TwoFactorEnabled,
        u.LockoutEnd is { } end && end == DateTimeOffset.MaxValue, u.MustActivate,
        u.PendingChange is null ? null : new PendingDto(
            u.PendingChange, u.PendingRole, SojournUser.SplitCodes(u.PendingDivisions ?? ""), SojournUser.SplitCodes(u.PendingStations ?? ""),
            u.ChangeRequestedBy, u.ChangeRequestedAt));
}
