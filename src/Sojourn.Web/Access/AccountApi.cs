using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Security;
using Sojourn.Domain;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Access;

/// <summary>Sign-in (API and form), API tokens, accounts (administrator), aggregate statistics (analyst).</summary>
public static class AccountApi
{
    public sealed record SignInRequest(string? UserName, string? Password, string? Totp);

    public sealed record SignInResponse(string Token, DateTime ExpiresAt, string Role);

    public sealed record TokenRequest(string? Name, int? Days);

    public sealed record AccountRequest(
        string? UserName, string? Password, string? Role, string? Office, string? DisplayName,
        IReadOnlyList<string>? Divisions, IReadOnlyList<string>? Stations, string? IdNumber);

    public sealed record AccountDto(string Id, string UserName, string Role, string Office, IReadOnlyList<string> Divisions, IReadOnlyList<string> Stations, bool SecondFactor, bool Locked);

    public sealed record CreatedAccountDto(AccountDto Account, string? AuthenticatorKey);

    public sealed record WhoAmIDto(string Id, string UserName, string Role, string Office, IReadOnlyList<string> Divisions, IReadOnlyList<string> Stations);

    public sealed record StatisticsRow(string Division, string Status, int? Count, bool Suppressed);

    public static void Map(IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/auth").WithTags("登录 Access");
        auth.MapPost("/sign-in", SignInAsync).WithName("SignIn").WithSummary("用户名、密码（民警及部门人员另需动态口令）登录，取得访问令牌")
            .RequireRateLimiting(AccessModule.SignInLimit).DisableAntiforgery();
        auth.MapPost("/tokens", CreateTokenAsync).WithName("CreateApiToken").WithSummary("为本账号签发 API 令牌（报告单位的系统对接）");
        auth.MapGet("/me", WhoAmI).WithName("WhoAmI").WithSummary("当前账号");
        auth.MapGet("/tokens", ListMyTokensAsync).WithName("ListMyTokens").WithSummary("本账号的令牌（名称、签发、到期、吊销时间；不含令牌本身）");
        auth.MapDelete("/tokens/{tokenId:guid}", RevokeMyTokenAsync).WithName("RevokeMyToken").WithSummary("吊销本账号的一个令牌，立即生效");

        var admin = app.MapGroup("/api/v1/admin").WithTags("账号管理 Administration");
        admin.MapPost("/accounts", CreateAccountAsync).WithName("CreateAccount").WithSummary("创建账号（角色、辖区）");
        admin.MapGet("/accounts", ListAccountsAsync).WithName("ListAccounts").WithSummary("账号列表");
        admin.MapGet("/accounts/{accountId}/tokens", ListAccountTokensAsync).WithName("ListAccountTokens").WithSummary("某账号的令牌");
        admin.MapDelete("/accounts/{accountId}/tokens/{tokenId:guid}", RevokeAccountTokenAsync).WithName("RevokeAccountToken").WithSummary("吊销某账号的令牌，立即生效");
        admin.MapPost("/accounts/{accountId}/lock", LockAccountAsync).WithName("LockAccount").WithSummary("停用账号：不能登录，已签发的令牌立即失效");
        admin.MapPost("/accounts/{accountId}/unlock", UnlockAccountAsync).WithName("UnlockAccount").WithSummary("恢复账号");

        app.MapGet("/api/v1/statistics/registrations", StatisticsAsync).WithName("RegistrationStatistics")
            .WithTags("统计 Statistics").WithSummary("居住登记汇总（按区划、状态；小于最小单元数的格子不显示）");

        app.MapGet("/account/sign-in", SignInPage).ExcludeFromDescription();
        app.MapPost("/account/sign-in", SignInFormAsync).ExcludeFromDescription().RequireRateLimiting(AccessModule.SignInLimit);
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

    private static async Task<Results<Ok<SignInResponse>, ProblemHttpResult>> CreateTokenAsync(
        TokenRequest request, HttpContext http, UserManager<SojournUser> users, ApiTokenService tokens,
        IOptions<AccessOptions> options, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(http.User.AccountId());
        if (user is null)
        {
            return Problem(StatusCodes.Status401Unauthorized, 30002, "账号不存在");
        }

        var days = Math.Clamp(request.Days ?? options.Value.ApiTokenDays, 1, options.Value.ApiTokenDays);
        var (token, expires) = await tokens.IssueAsync(user, request.Name ?? "api", TimeSpan.FromDays(days), cancellationToken);
        return TypedResults.Ok(new SignInResponse(token, expires, user.Role));
    }

    private static async Task<Ok<List<ApiTokenDto>>> ListMyTokensAsync(HttpContext http, ApiTokenService tokens, CancellationToken cancellationToken) =>
        TypedResults.Ok(await tokens.ListAsync(http.User.AccountId(), cancellationToken));

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeMyTokenAsync(
        Guid tokenId, HttpContext http, ApiTokenService tokens, CancellationToken cancellationToken) =>
        await tokens.RevokeAsync(http.User.AccountId(), tokenId, cancellationToken)
            ? TypedResults.NoContent()
            : TokenNotFound();

    private static async Task<Results<Ok<List<ApiTokenDto>>, ProblemHttpResult>> ListAccountTokensAsync(
        string accountId, UserManager<SojournUser> users, ApiTokenService tokens, CancellationToken cancellationToken) =>
        await users.FindByIdAsync(accountId) is null
            ? AccountNotFound()
            : TypedResults.Ok(await tokens.ListAsync(accountId, cancellationToken));

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAccountTokenAsync(
        string accountId, Guid tokenId, HttpContext http, ApiTokenService tokens, AuditRecorder recorder, CancellationToken cancellationToken)
    {
        await using var transaction = await recorder.BeginAsync(cancellationToken);
        if (!await tokens.RevokeAsync(accountId, tokenId, cancellationToken))
        {
            return TokenNotFound();
        }

        await recorder.RecordAccountActionAsync(http, "RevokeAccountToken", accountId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Locks until unlocked: sign-in refused, every token refused at once, cookie sessions end at their next validation.</summary>
    private static async Task<Results<Ok<AccountDto>, ProblemHttpResult>> LockAccountAsync(
        string accountId, HttpContext http, UserManager<SojournUser> users, ApiTokenService tokens, AuditRecorder recorder) =>
        await SetLockAsync(accountId, http, users, tokens, recorder, DateTimeOffset.MaxValue);

    private static async Task<Results<Ok<AccountDto>, ProblemHttpResult>> UnlockAccountAsync(
        string accountId, HttpContext http, UserManager<SojournUser> users, ApiTokenService tokens, AuditRecorder recorder) =>
        await SetLockAsync(accountId, http, users, tokens, recorder, null);

    private static async Task<Results<Ok<AccountDto>, ProblemHttpResult>> SetLockAsync(
        string accountId, HttpContext http, UserManager<SojournUser> users, ApiTokenService tokens, AuditRecorder recorder, DateTimeOffset? until)
    {
        var user = await users.FindByIdAsync(accountId);
        if (user is null)
        {
            return AccountNotFound();
        }

        if (until is not null && user.Id == http.User.AccountId())
        {
            return Problem(StatusCodes.Status409Conflict, 30012, "不能停用自己的账号");
        }

        // The change and its audit entry commit together or not at all.
        await using (var transaction = await recorder.BeginAsync(http.RequestAborted))
        {
            await users.SetLockoutEnabledAsync(user, true);
            await users.SetLockoutEndDateAsync(user, until);
            if (until is null)
            {
                await users.ResetAccessFailedCountAsync(user);
            }

            await users.UpdateSecurityStampAsync(user);
            await recorder.RecordAccountActionAsync(http, until is null ? "UnlockAccount" : "LockAccount", user.Id, http.RequestAborted);
            await transaction.CommitAsync(http.RequestAborted);
        }

        tokens.Forget(user.Id);
        return TypedResults.Ok(ToDto(user));
    }

    private static ProblemHttpResult TokenNotFound() => Problem(StatusCodes.Status404NotFound, 30010, "没有这个令牌");

    private static ProblemHttpResult AccountNotFound() => Problem(StatusCodes.Status404NotFound, 30011, "没有这个账号");

    private static Ok<WhoAmIDto> WhoAmI(HttpContext http)
    {
        var scope = http.User.Scope();
        return TypedResults.Ok(new WhoAmIDto(
            http.User.AccountId(), http.User.Identity?.Name ?? "", http.User.Role() ?? "",
            http.User.FindFirst(SojournClaims.Office)?.Value ?? "", scope.Divisions, scope.Stations));
    }

    private static async Task<Results<Created<CreatedAccountDto>, ProblemHttpResult>> CreateAccountAsync(
        AccountRequest request, HttpContext http, UserManager<SojournUser> users, IdentityProtector protector, ChinaClock clock,
        TimeProvider time, AuditRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.UserName))
        {
            errors["userName"] = ["必填"];
        }

        if (request.Role is null || !Roles.All.Contains(request.Role))
        {
            errors["role"] = [$"应为 {string.Join(", ", Roles.All)} 之一"];
        }

        string? personHmac = null;
        if (request.Role == Roles.Migrant)
        {
            if (!CitizenId.TryParse(request.IdNumber, clock.Today, out var id, out _))
            {
                errors["idNumber"] = ["流动人口账号需要有效的公民身份号码"];
            }
            else
            {
                personHmac = protector.LookupHash(id.Value);
            }
        }

        // The office is copied into every audit entry of the account: it must fit that column.
        if (request.Office?.Trim() is { Length: > Data.Validation.ColumnLengths.OfficeName })
        {
            errors["office"] = [Messages.Format("Field_TooLong", "单位", Data.Validation.ColumnLengths.OfficeName)];
        }

        var divisions = (request.Divisions ?? []).Select(d => d.Trim()).ToArray();
        if (divisions.Any(d => d.Length is < 2 or > 12 || !d.All(char.IsAsciiDigit)))
        {
            errors["divisions"] = ["区划代码应为 2–12 位数字"];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var user = new SojournUser
        {
            UserName = request.UserName!.Trim(),
            Role = request.Role!,
            Office = request.Office?.Trim() ?? "",
            DisplayName = request.DisplayName?.Trim() ?? "",
            Divisions = string.Join(',', divisions),
            Stations = string.Join(',', (request.Stations ?? []).Select(s => s.Trim())),
            PersonIdHmac = personHmac,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        // The account and its audit entry commit together or not at all.
        await using var transaction = await recorder.BeginAsync(http.RequestAborted);
        var created = await users.CreateAsync(user, request.Password ?? "");
        if (!created.Succeeded)
        {
            return ApiProblems.Validation(new Dictionary<string, string[]>
            {
                ["password"] = [.. created.Errors.Select(e => e.Code)],
            });
        }

        string? key = null;
        if (Roles.RequiresSecondFactor(user.Role))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
            await users.SetTwoFactorEnabledAsync(user, true);
        }

        await recorder.RecordAccountActionAsync(http, "CreateAccount", user.Id, http.RequestAborted);
        await transaction.CommitAsync(http.RequestAborted);
        return TypedResults.Created($"/api/v1/admin/accounts/{user.Id}", new CreatedAccountDto(ToDto(user), key));
    }

    private static async Task<Ok<List<AccountDto>>> ListAccountsAsync(SojournDbContext db, CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.UserName).Take(500).ToListAsync(cancellationToken);
        return TypedResults.Ok(users.Select(ToDto).ToList());
    }

    /// <summary>Counts only, over the caller's divisions; the registration tables are read without the per-person filter.</summary>
    private static async Task<Ok<List<StatisticsRow>>> StatisticsAsync(
        HttpContext http, SojournDbContext db, IOptions<AccessOptions> options, CancellationToken cancellationToken)
    {
        var divisions = http.User.Scope().Divisions.ToList();
        var rows = await db.Registrations.IgnoreQueryFilters().AsNoTracking()
            .Where(r => divisions.Any(d => EF.Functions.Like(r.ResidenceDivisionCode, d + "%")))
            .GroupBy(r => new { r.ResidenceDivisionCode, r.Status })
            .Select(g => new { g.Key.ResidenceDivisionCode, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var min = options.Value.MinCellSize;
        return TypedResults.Ok(rows.OrderBy(r => r.ResidenceDivisionCode).ThenBy(r => r.Status)
            .Select(r => new StatisticsRow(r.ResidenceDivisionCode, r.Status, r.Count < min ? null : r.Count, r.Count < min))
            .ToList());
    }

    private static IResult SignInPage(HttpContext http, IAntiforgery antiforgery, string? error)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var message = error is null ? "" : "<p role=\"alert\">登录失败，请检查用户名、密码和动态口令。</p>";
        var html = $"""
            <!doctype html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>登录 · 流动人口服务管理平台</title>
            <style>body{"{"}font-family:sans-serif;max-width:28rem;margin:3rem auto;line-height:1.8{"}"} label{"{"}display:block{"}"}</style></head>
            <body><h1>登录</h1>{message}
            <form method="post" action="/account/sign-in">
            <input type="hidden" name="{WebUtility.HtmlEncode(tokens.FormFieldName)}" value="{WebUtility.HtmlEncode(tokens.RequestToken)}">
            <label>用户名 <input name="userName" autocomplete="username" required></label>
            <label>密码 <input name="password" type="password" autocomplete="current-password" required></label>
            <label>动态口令（民警、部门人员） <input name="totp" inputmode="numeric" autocomplete="one-time-code"></label>
            <button type="submit">登录</button>
            </form></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static async Task<IResult> SignInFormAsync(
        [FromForm] string? userName, [FromForm] string? password, [FromForm] string? totp,
        HttpContext http, SignInGuard guard, SignInManager<SojournUser> signIn)
    {
        var (user, _) = await guard.CheckAsync(new SignInRequest(userName, password, totp), http);
        if (user is null)
        {
            return Results.Redirect("/account/sign-in?error=1");
        }

        await signIn.SignInAsync(user, isPersistent: false);
        return Results.Redirect(user.Role == Roles.Migrant ? "/me/access-log" : "/");
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

    private static AccountDto ToDto(SojournUser u) => new(
        u.Id, u.UserName ?? "", u.Role, u.Office, SojournUser.SplitCodes(u.Divisions), SojournUser.SplitCodes(u.Stations), u.TwoFactorEnabled,
        u.LockoutEnd is { } end && end == DateTimeOffset.MaxValue);

    public static ProblemHttpResult Problem(int status, int code, string title)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Type = $"https://sojourn.invalid/errors/{code}" };
        problem.Extensions["errorCode"] = code;
        return TypedResults.Problem(problem);
    }
}
