using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data.Access;
using Sojourn.Data.Security;
using Sojourn.Web.Access;
using Sojourn.Web.Access.Accounts;
using Sojourn.Web.Access.Audit;

namespace Sojourn.Web.Tests.Infrastructure;

/// <summary>
/// Signs tests in as a role with a jurisdiction: creates a real account through Identity's UserManager
/// and issues a real opaque API token (ApiTokenService), as an administrator and a reporter's system would.
/// </summary>
public static class TestAccounts
{
    /// <summary>A code of Access/purposes.json, and the label the audit views show for it.</summary>
    public const string Purpose = "case-handling";

    public const string PurposeLabel = "办案";

    public static async Task<TestAccount> CreateAsync(
        this SojournAppFactory factory, string role, string divisions = "140105", string stations = "140105000001",
        string? idNumber = null, string office = "测试机关")
    {
        ArgumentNullException.ThrowIfNull(factory);
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SojournUser>>();
        var protector = scope.ServiceProvider.GetRequiredService<IdentityProtector>();
        var user = new SojournUser
        {
            UserName = $"{role}-{Guid.NewGuid():N}",
            Role = role,
            Office = office,
            Divisions = divisions,
            Stations = stations,
            PersonIdHmac = idNumber is null ? null : protector.LookupHash(idNumber),
        };
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Code)));
        }

        var tokens = scope.ServiceProvider.GetRequiredService<ApiTokenService>();
        var (token, _) = await tokens.IssueAsync(user, "test", TimeSpan.FromHours(1), CancellationToken.None);
        return new TestAccount(user.Id, user.UserName, role, token);
    }

    /// <summary>A client signed in as <paramref name="account"/>, stating a purpose for reads.</summary>
    public static HttpClient ClientFor(this SojournAppFactory factory, TestAccount account, bool purpose = true)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(account);
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", account.Token);
        if (purpose)
        {
            client.DefaultRequestHeaders.Add(AuditRecorder.PurposeHeader, Purpose);
        }

        return client;
    }

    public static async Task<HttpClient> ClientAsAsync(
        this SojournAppFactory factory, string role, string divisions = "140105", string stations = "140105000001", string? idNumber = null) =>
        factory.ClientFor(await factory.CreateAsync(role, divisions, stations, idNumber));
}

public sealed record TestAccount(string Id, string UserName, string Role, string Token);

/// <summary>An account onboarded the real way: requested, approved by someone else, activated by its holder.</summary>
public sealed record OnboardedAccount(string Id, string UserName, string Password, string? AuthenticatorKey);

public static class Onboarding
{
    public const string Password = "Correct-Horse-42";

    /// <summary>
    /// One administrator requests the account, another approves it, the holder activates it with both halves of the
    /// activation code and a password of its own (and receives the authenticator key where the role has one).
    /// </summary>
    public static async Task<OnboardedAccount> OnboardAsync(
        this SojournAppFactory factory, string role, string[]? divisions = null, string[]? stations = null, string? idNumber = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        using var creator = await factory.ClientAsAsync(Roles.Administrator, "", "");
        using var approver = await factory.ClientAsAsync(Roles.Administrator, "", "");
        var userName = $"{role}-{Guid.NewGuid():N}"[..24];
        var created = await Json(await creator.PostAsJsonAsync("/api/v1/admin/accounts", new
        {
            userName,
            role,
            office = "测试机关",
            divisions = divisions ?? [],
            stations = stations ?? [],
            idNumber,
        }));
        var id = (string)created["account"]!["id"]!;
        var approved = await Json(await approver.PostAsync($"/api/v1/admin/accounts/{id}/approve", null));
        using var holder = factory.CreateClient();
        var activated = await Json(await holder.PostAsJsonAsync("/api/v1/auth/activate", new
        {
            userName,
            activationCode = (string)created["activationCodeFirstHalf"]! + (string)approved["activationCodeSecondHalf"]!,
            newPassword = Password,
        }));
        return new OnboardedAccount(id, userName, Password, (string?)activated["authenticatorKey"]);
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {body}");
        }

        return JsonNode.Parse(body) ?? throw new InvalidOperationException("empty body");
    }
}
