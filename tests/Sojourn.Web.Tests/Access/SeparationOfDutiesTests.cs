using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Access;

/// <summary>
/// Separation of duties and integration tokens: a new or widened account takes a second person, no secret
/// reaches the administrator, the holder activates with both halves of the code; only an administrator's interactive
/// session issues a token (never a token), within the role's lifetime, with the second factor for officials' tokens.
/// </summary>
public abstract partial class SeparationOfDutiesTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    private const string Secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    private const string Password = "Correct-Horse-42";

    [SkippableFact]
    public async Task AdministratorCreatesOfficerForItself_NoSecretReturned_CannotApproveUnlockOrActivateAlone()
    {
        var admin = await Factory.CreateAsync(Roles.Administrator, "", "");
        using var client = Factory.ClientFor(admin);
        var userName = "self-" + Guid.NewGuid().ToString("N")[..8];

        var response = await client.PostAsJsonAsync("/api/v1/admin/accounts", new { userName, role = Roles.Officer, divisions = new[] { "14" } });
        var body = await response.Content.ReadAsStringAsync();
        var created = JsonNode.Parse(body)!;
        var id = (string)created["account"]!["id"]!;
        var approve = await client.PostAsync($"/api/v1/admin/accounts/{id}/approve", null);
        var unlock = await client.PostAsync($"/api/v1/admin/accounts/{id}/unlock", null);
        using var anonymous = Factory.CreateClient();
        var activate = await anonymous.PostAsJsonAsync("/api/v1/auth/activate", new
        {
            userName,
            activationCode = (string)created["activationCodeFirstHalf"]! + "ABCDEFGH",
            newPassword = Password,
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.DoesNotContain("authenticatorKey", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("password", body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("create", (string?)created["account"]!["pending"]!["kind"]);
        Assert.True((bool)created["account"]!["locked"]!);
        Assert.Equal((HttpStatusCode.Forbidden, 30025), (approve.StatusCode, await CodeAsync(approve)));
        Assert.Equal((HttpStatusCode.Conflict, 30027), (unlock.StatusCode, await CodeAsync(unlock)));
        Assert.Equal((HttpStatusCode.Unauthorized, 30002), (activate.StatusCode, await CodeAsync(activate)));
        using var scope = Factory.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<SojournUser>>().FindByIdAsync(id);
        Assert.True(user!.MustActivate);
        Assert.Equal(DateTimeOffset.MaxValue, user.LockoutEnd);
        Assert.False(user.TwoFactorEnabled);
    }

    [SkippableFact]
    public async Task StationChief_ApprovesOfficer_HolderActivatesWithBothHalves_GetsKeyOnceAndSignsIn_AllAudited()
    {
        var admin = await Factory.CreateAsync(Roles.Administrator, "", "");
        var chief = await Factory.CreateAsync(Roles.StationChief);
        using var adminClient = Factory.ClientFor(admin);
        using var chiefClient = Factory.ClientFor(chief);
        var userName = "officer-" + Guid.NewGuid().ToString("N")[..8];
        var created = await Json(await adminClient.PostAsJsonAsync("/api/v1/admin/accounts", new
        {
            userName,
            role = Roles.Officer,
            office = "亲贤派出所",
            divisions = new[] { "140105" },
            stations = new[] { "140105000001" },
        }));
        var id = (string)created["account"]!["id"]!;
        var pending = (await Json(await chiefClient.GetAsync("/api/v1/admin/account-changes"))).AsArray();

        var approved = await chiefClient.PostAsync($"/api/v1/admin/accounts/{id}/approve", null);
        var approvedBody = await Json(approved);
        using var holder = Factory.CreateClient();
        var code = (string)created["activationCodeFirstHalf"]! + (string)approvedBody["activationCodeSecondHalf"]!;
        var beforeActivation = await holder.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName, password = code });
        var activated = await holder.PostAsJsonAsync("/api/v1/auth/activate", new { userName, activationCode = code, newPassword = Password });
        var activatedBody = await Json(activated);
        var again = await holder.PostAsJsonAsync("/api/v1/auth/activate", new { userName, activationCode = code, newPassword = Password });
        var key = (string)activatedBody["authenticatorKey"]!;
        var signIn = await holder.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName, password = Password, totp = Totp.Code(key, Factory.Clock.GetUtcNow()) });

        Assert.Contains(pending, p => (string?)p!["id"] == id);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, beforeActivation.StatusCode);
        Assert.Equal(HttpStatusCode.OK, activated.StatusCode);
        Assert.StartsWith("otpauth://totp/", (string)activatedBody["authenticatorUri"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Fields == "account:" + id).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(["CreateAccount", "ApproveAccountCreate", "ActivateAccount"], entries.Select(e => e.Operation));
        Assert.Equal([admin.Id, chief.Id, id], entries.Select(e => e.AccountId));
    }

    [SkippableFact]
    public async Task StationChief_AccountOutsideJurisdictionOrNotStationStaff_Refused()
    {
        var admin = await Factory.CreateAsync(Roles.Administrator, "", "");
        using var adminClient = Factory.ClientFor(admin);
        using var chief = await Factory.ClientAsAsync(Roles.StationChief);
        var outside = await Json(await adminClient.PostAsJsonAsync("/api/v1/admin/accounts", new { userName = "o-" + Guid.NewGuid().ToString("N")[..8], role = Roles.Officer, divisions = new[] { "140106" } }));
        var administrator = await Json(await adminClient.PostAsJsonAsync("/api/v1/admin/accounts", new { userName = "a-" + Guid.NewGuid().ToString("N")[..8], role = Roles.Administrator }));

        var first = await chief.PostAsync($"/api/v1/admin/accounts/{(string)outside["account"]!["id"]!}/approve", null);
        var second = await chief.PostAsync($"/api/v1/admin/accounts/{(string)administrator["account"]!["id"]!}/approve", null);

        Assert.Equal((HttpStatusCode.Forbidden, 30026), (first.StatusCode, await CodeAsync(first)));
        Assert.Equal((HttpStatusCode.Forbidden, 30026), (second.StatusCode, await CodeAsync(second)));
    }

    [SkippableFact]
    public async Task WideningAccount_TakesEffectOnlyWhenAnotherPersonApproves()
    {
        var officer = await Factory.CreateAsync(Roles.Officer);
        using var officerClient = Factory.ClientFor(officer);
        var requester = await Factory.CreateAsync(Roles.Administrator, "", "");
        using var requesterClient = Factory.ClientFor(requester);
        var approver = await Factory.CreateAsync(Roles.Administrator, "", "");
        using var approverClient = Factory.ClientFor(approver);

        var requested = await requesterClient.PostAsJsonAsync($"/api/v1/admin/accounts/{officer.Id}/changes", new { divisions = new[] { "14" } });
        var meWhilePending = await Json(await officerClient.GetAsync("/api/v1/auth/me"));
        var selfApproval = await requesterClient.PostAsync($"/api/v1/admin/accounts/{officer.Id}/approve", null);
        var approval = await approverClient.PostAsync($"/api/v1/admin/accounts/{officer.Id}/approve", null);
        var meAfter = await Json(await officerClient.GetAsync("/api/v1/auth/me"));

        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        Assert.Equal(["140105"], meWhilePending["divisions"]!.AsArray().Select(d => (string)d!));
        Assert.Equal((HttpStatusCode.Forbidden, 30025), (selfApproval.StatusCode, await CodeAsync(selfApproval)));
        Assert.Equal(HttpStatusCode.OK, approval.StatusCode);
        Assert.Null((string?)(await Json(approval))["activationCodeSecondHalf"]);
        Assert.Equal(["14"], meAfter["divisions"]!.AsArray().Select(d => (string)d!));
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Fields == "account:" + officer.Id).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(["RequestAccountChange", "ApproveAccountChange"], entries.Select(e => e.Operation));
        Assert.Equal([requester.Id, approver.Id], entries.Select(e => e.AccountId));
    }

    [SkippableFact]
    public async Task ChangeRequest_UnknownDivisionOrMigrantRole_RefusedNamingTheField_NothingPending()
    {
        var officer = await Factory.CreateAsync(Roles.Officer);
        using var requester = await Factory.ClientAsAsync(Roles.Administrator, "", "");

        // 990000 has the shape of a county code but is no GB/T 2260 division; an official cannot become a migrant.
        var unknown = await requester.PostAsJsonAsync($"/api/v1/admin/accounts/{officer.Id}/changes", new { divisions = new[] { "990000" } });
        var unknownBody = await Json(unknown);
        var migrant = await requester.PostAsJsonAsync($"/api/v1/admin/accounts/{officer.Id}/changes", new { role = Roles.Migrant });
        var migrantBody = await Json(migrant);
        var valid = await requester.PostAsJsonAsync($"/api/v1/admin/accounts/{officer.Id}/changes", new { divisions = new[] { "140106" } });

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("990000", (string)unknownBody["errors"]!["divisions"]![0]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, migrant.StatusCode);
        Assert.Contains("角色", (string)migrantBody["errors"]!["role"]![0]!, StringComparison.Ordinal);
        // Neither refusal left a pending change behind: a valid request is still accepted afterwards.
        Assert.Equal(HttpStatusCode.Accepted, valid.StatusCode);
    }

    [SkippableFact]
    public async Task RejectedAccountRequest_AccountGoneAndAudited()
    {
        using var creator = await Factory.ClientAsAsync(Roles.Administrator, "", "");
        var rejecter = await Factory.CreateAsync(Roles.Administrator, "", "");
        using var rejecterClient = Factory.ClientFor(rejecter);
        var created = await Json(await creator.PostAsJsonAsync("/api/v1/admin/accounts", new { userName = "r-" + Guid.NewGuid().ToString("N")[..8], role = Roles.Reporter }));
        var id = (string)created["account"]!["id"]!;

        var rejected = await rejecterClient.PostAsync($"/api/v1/admin/accounts/{id}/reject", null);

        Assert.Equal(HttpStatusCode.NoContent, rejected.StatusCode);
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        Assert.False(await db.Users.AnyAsync(u => u.Id == id));
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Operation == "RejectAccountCreate" && e.Fields == "account:" + id && e.AccountId == rejecter.Id));
    }

    [SkippableFact]
    public async Task IssueToken_RequestAuthenticatedByBearerToken_Returns403()
    {
        var reporter = await Factory.CreateAsync(Roles.Reporter, "", "");
        using var admin = await Factory.ClientAsAsync(Roles.Administrator, "", "");

        var response = await admin.PostAsJsonAsync("/api/v1/auth/tokens", new { accountId = reporter.Id, purpose = "房东系统", scope = "read" });
        using var officer = await Factory.ClientAsAsync(Roles.Officer);
        var byOfficer = await officer.PostAsJsonAsync("/api/v1/auth/tokens", new { accountId = reporter.Id, purpose = "x", scope = "read" });

        Assert.Equal((HttpStatusCode.Forbidden, 30020), (response.StatusCode, await CodeAsync(response)));
        Assert.Equal(HttpStatusCode.Forbidden, byOfficer.StatusCode);
    }

    [SkippableFact]
    public async Task IssueToken_AdministratorSessionWithoutSecondFactor_ReporterYes_OfficialNo_ReadScopeOnlyReads()
    {
        using var browser = await AdminBrowserAsync(secondFactor: false);
        var reporter = await Factory.CreateAsync(Roles.Reporter, "", "");
        var officer = await Factory.CreateAsync(Roles.Officer);

        var forOfficer = await browser.PostAsJsonAsync("/api/v1/auth/tokens", new { accountId = officer.Id, purpose = "派出所系统", scope = "read", days = 1 });
        var noPurpose = await browser.PostAsJsonAsync("/api/v1/auth/tokens", new { accountId = reporter.Id, scope = "read" });
        var tooLong = await browser.PostAsJsonAsync("/api/v1/auth/tokens", new { accountId = reporter.Id, purpose = "房东系统", scope = "read", days = 91 });
        var issued = await browser.PostAsJsonAsync("/api/v1/auth/tokens", new { accountId = reporter.Id, purpose = "房东系统", scope = "read" });
        var token = await Json(issued);
        using var integration = Factory.CreateClient();
        integration.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)token["token"]!);
        var read = await integration.GetAsync("/api/v1/auth/me");
        var write = await integration.PostAsJsonAsync("/api/v1/registrations", TestData.Declaration());

        Assert.Equal((HttpStatusCode.Forbidden, 30021), (forOfficer.StatusCode, await CodeAsync(forOfficer)));
        Assert.Equal(HttpStatusCode.BadRequest, noPurpose.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        Assert.Equal("read", (string?)token["scope"]);
        Assert.InRange(((DateTime)token["expiresAt"]!).ToUniversalTime(), Factory.Clock.GetUtcNow().UtcDateTime.AddDays(89), Factory.Clock.GetUtcNow().UtcDateTime.AddDays(91));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.Operation == "IssueApiToken" && e.Fields == "account:" + reporter.Id));
        Assert.Equal(0, await db.AuditEntries.CountAsync(e => e.Operation == "IssueApiToken" && e.Fields == "account:" + officer.Id));
    }

    [SkippableFact]
    public async Task IssueToken_OfficialWithSecondFactorSession_NeverLongerThanTheRoleAllows()
    {
        using var browser = await AdminBrowserAsync(secondFactor: true);
        var officer = await Factory.CreateAsync(Roles.Officer);

        var tooLong = await browser.PostAsJsonAsync("/api/v1/auth/tokens", new { accountId = officer.Id, purpose = "派出所系统", scope = "read-write", days = 90 });
        var issued = await browser.PostAsJsonAsync("/api/v1/auth/tokens", new { accountId = officer.Id, purpose = "派出所系统", scope = "read-write" });
        var token = await Json(issued);

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        // access.json apiTokenMaxDays: officer 7.
        Assert.InRange(((DateTime)token["expiresAt"]!).ToUniversalTime(), Factory.Clock.GetUtcNow().UtcDateTime.AddDays(6), Factory.Clock.GetUtcNow().UtcDateTime.AddDays(8));
    }

    /// <summary>A browser signed in on the form as a fresh administrator (with or without an authenticator).</summary>
    private async Task<HttpClient> AdminBrowserAsync(bool secondFactor)
    {
        string userName;
        using (var scope = Factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<SojournUser>>();
            var user = new SojournUser { UserName = "admin-" + Guid.NewGuid().ToString("N")[..8], Role = Roles.Administrator, Office = "系统管理" };
            Assert.True((await users.CreateAsync(user, Password)).Succeeded);
            if (secondFactor)
            {
                await users.SetAuthenticationTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey", Secret);
                await users.SetTwoFactorEnabledAsync(user, true);
            }

            userName = user.UserName;
        }

        var browser = Factory.CreateClient();
        var form = await browser.GetStringAsync("/account/sign-in");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiforgeryField().Match(form).Groups[1].Value,
            ["userName"] = userName,
            ["password"] = Password,
            ["totp"] = secondFactor ? Totp.Code(Secret, Factory.Clock.GetUtcNow()) : "",
        });
        var signedIn = await browser.PostAsync("/account/sign-in", content);
        Assert.NotEqual("/account/sign-in", signedIn.RequestMessage!.RequestUri!.AbsolutePath);
        return browser;
    }

    private static async Task<int?> CodeAsync(HttpResponseMessage response) =>
        (int?)JsonNode.Parse(await response.Content.ReadAsStringAsync())?["errorCode"];

    private static async Task<JsonNode> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}

public sealed class SqliteSeparationOfDutiesTests(SqliteAppFixture fixture)
    : SeparationOfDutiesTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresSeparationOfDutiesTests(PostgresAppFixture fixture)
    : SeparationOfDutiesTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
