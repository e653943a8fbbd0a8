using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data.Access;
using Sojourn.Web.Access.Accounts;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Access;

/// <summary>
/// Token housekeeping: an account lists and revokes its own tokens, an administrator those of another
/// account and locks or unlocks it; a revoked token or a locked account's token gets 401 at once, even
/// though token look-ups are cached.
/// </summary>
public abstract class ApiTokenTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    [SkippableFact]
    public async Task ListMyTokens_AfterIssuing_ShowsMetadataNeverTheSecret()
    {
        var account = await Factory.CreateAsync(Roles.Reporter, "", "");
        using var client = Factory.ClientFor(account);
        var issued = await IssueAsync(account.Id, "房东系统");

        var response = await client.GetAsync("/api/v1/auth/tokens");
        var body = await response.Content.ReadAsStringAsync();
        var tokens = JsonNode.Parse(body)!.AsArray();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, tokens.Count);
        Assert.Contains(tokens, t => (string?)t!["name"] == "房东系统" && t["revokedAt"] is null && t["expiresAt"] is not null && t["createdAt"] is not null);
        Assert.DoesNotContain(account.Token, body, StringComparison.Ordinal);
        Assert.DoesNotContain(issued, body, StringComparison.Ordinal);
        Assert.DoesNotContain(Web.Access.Accounts.ApiTokenService.Hash(account.Token), body, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task RevokeMyToken_TokenUsedJustBefore_Returns401AtOnce()
    {
        var account = await Factory.CreateAsync(Roles.Reporter, "", "");
        using var owner = Factory.ClientFor(account);
        var second = await IssueAsync(account.Id, "second");
        using var secondClient = Bearer(second);
        Assert.Equal(HttpStatusCode.OK, (await secondClient.GetAsync("/api/v1/auth/me")).StatusCode); // now cached
        var id = await TokenIdAsync(owner, "second");

        var revoked = await owner.DeleteAsync($"/api/v1/auth/tokens/{id}");

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await secondClient.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/api/v1/auth/me")).StatusCode);
        var listed = (await Json(await owner.GetAsync("/api/v1/auth/tokens"))).AsArray();
        Assert.Contains(listed, t => (string?)t!["name"] == "second" && t["revokedAt"] is not null);
    }

    [SkippableFact]
    public async Task RevokeMyToken_AnotherAccountsToken_Returns404AndTokenKeepsWorking()
    {
        var victim = await Factory.CreateAsync(Roles.Reporter, "", "");
        using var victimClient = Factory.ClientFor(victim);
        var victimTokenId = await TokenIdAsync(victimClient, "test");
        using var other = await Factory.ClientAsAsync(Roles.Reporter, "", "");

        var response = await other.DeleteAsync($"/api/v1/auth/tokens/{victimTokenId}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await victimClient.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [SkippableFact]
    public async Task Admin_ListsAndRevokesAnotherAccountsToken_Returns401AtOnce()
    {
        var account = await Factory.CreateAsync(Roles.Collector);
        using var client = Factory.ClientFor(account);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
        using var admin = await Factory.ClientAsAsync(Roles.Administrator, "", "");

        var tokens = (await Json(await admin.GetAsync($"/api/v1/admin/accounts/{account.Id}/tokens"))).AsArray();
        var revoked = await admin.DeleteAsync($"/api/v1/admin/accounts/{account.Id}/tokens/{(string)tokens[0]!["id"]!}");

        Assert.Single(tokens);
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/admin/accounts/no-such-account/tokens")).StatusCode);
    }

    [SkippableFact]
    public async Task Admin_LocksAccount_TokensAndSignInRefusedUntilUnlocked()
    {
        using var admin = await Factory.ClientAsAsync(Roles.Administrator, "", "");
        var (accountId, userName, password, _) = await Factory.OnboardAsync(Roles.Reporter);
        using (var scope = Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Sojourn.Data.SojournDbContext>();
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Operation == "CreateAccount" && e.Fields == "account:" + accountId));
        }

        using var anonymous = Factory.CreateClient();
        var token = (string)(await Json(await anonymous.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName, password })))["token"]!;
        using var client = Bearer(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/auth/me")).StatusCode);

        var locked = await Json(await admin.PostAsync($"/api/v1/admin/accounts/{accountId}/lock", null));

        Assert.True((bool)locked["locked"]!);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName, password })).StatusCode);

        var unlocked = await Json(await admin.PostAsync($"/api/v1/admin/accounts/{accountId}/unlock", null));

        Assert.False((bool)unlocked["locked"]!);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName, password })).StatusCode);
    }

    [SkippableFact]
    public async Task AccountActions_LockUnlockRevoke_AreAuditedWithTheAdministrator()
    {
        var account = await Factory.CreateAsync(Roles.Collector);
        var admin = await Factory.CreateAsync(Roles.Administrator, "", "");
        using var client = Factory.ClientFor(admin);
        using var owner = Factory.ClientFor(account);
        var tokenId = await TokenIdAsync(owner, "test");

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/admin/accounts/{account.Id}/lock", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/admin/accounts/{account.Id}/unlock", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/admin/accounts/{account.Id}/tokens/{tokenId}")).StatusCode);

        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Sojourn.Data.SojournDbContext>();
        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Fields == "account:" + account.Id).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(["LockAccount", "UnlockAccount", "RevokeAccountToken"], entries.Select(e => e.Operation));
        Assert.All(entries, e => Assert.Equal(admin.Id, e.AccountId));
        Assert.All(entries, e => Assert.Equal("account", e.Action));
    }

    [SkippableFact]
    public async Task Admin_LocksOwnAccount_Returns409()
    {
        var admin = await Factory.CreateAsync(Roles.Administrator, "", "");
        using var client = Factory.ClientFor(admin);

        var response = await client.PostAsync($"/api/v1/admin/accounts/{admin.Id}/lock", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [SkippableFact]
    public async Task RevokeMyToken_IsAuditedInTheSameTransaction()
    {
        var account = await Factory.CreateAsync(Roles.Reporter, "", "");
        using var owner = Factory.ClientFor(account);
        var id = await TokenIdAsync(owner, "test");

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/v1/auth/tokens/{id}")).StatusCode);

        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Sojourn.Data.SojournDbContext>();
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Operation == "RevokeMyToken" && e.Fields == "account:" + account.Id && e.AccountId == account.Id));
    }

    /// <summary>A second token for the account, as the service issues it (the HTTP route is the administrator's).</summary>
    private async Task<string> IssueAsync(string accountId, string name)
    {
        using var scope = Factory.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<SojournUser>>().FindByIdAsync(accountId);
        var (token, _) = await scope.ServiceProvider.GetRequiredService<Web.Access.Accounts.ApiTokenService>().IssueAsync(user!, name, TimeSpan.FromHours(1), CancellationToken.None);
        return token;
    }

    private HttpClient Bearer(string token)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<string> TokenIdAsync(HttpClient client, string name) =>
        (string)(await Json(await client.GetAsync("/api/v1/auth/tokens"))).AsArray().First(t => (string?)t!["name"] == name)!["id"]!;

    private static async Task<JsonNode> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");
}

public sealed class SqliteApiTokenTests(SqliteAppFixture fixture)
    : ApiTokenTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresApiTokenTests(PostgresAppFixture fixture)
    : ApiTokenTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
