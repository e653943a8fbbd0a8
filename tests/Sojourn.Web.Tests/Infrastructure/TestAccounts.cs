using System.Net.Http.Headers;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data.Access;
using Sojourn.Data.Security;
using Sojourn.Web.Access;

namespace Sojourn.Web.Tests.Infrastructure;

/// <summary>
/// Signs tests in as a role with a jurisdiction: creates a real account through Identity's UserManager
/// and issues a real opaque API token (ApiTokenService), as an administrator and a reporter's system would.
/// </summary>
public static class TestAccounts
{
    public const string Purpose = "test-case";

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
