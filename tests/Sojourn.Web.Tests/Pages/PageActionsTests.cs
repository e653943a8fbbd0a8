using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using Sojourn.Application.Errors;
using Sojourn.Application.Registrations;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Web.Components.Infrastructure;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Pages;

/// <summary>
/// The path a page takes to a use case (PageActions, ADR 0007), on the real app's services and database: an
/// official's read needs a stated purpose, every read and write is audited with the actor and purpose, a failed
/// write saves nothing, and one submit key saves once however often it is sent.
/// </summary>
public abstract class PageActionsTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    [SkippableFact]
    public async Task OfficialRead_WithoutPurpose_IsRefusedAndNotAudited()
    {
        var (actions, _) = await PageAsync(Roles.Officer);
        var id = await DeclareAsync(actions, Guid.NewGuid().ToString("N"));
        var before = await AuditCountAsync();

        var read = await actions.ReadAsync<RegistrationUseCases, RegistrationDto>(
            "GetRegistration", (uc, actor, ct) => uc.GetAsync(new GetRegistrationQuery(id), actor, ct));

        Assert.False(read.Succeeded);
        Assert.Equal(ErrorCode.PurposeMissing, read.Failure!.Code);
        Assert.Equal(before, await AuditCountAsync());
    }

    [SkippableFact]
    public async Task OfficialRead_WithPurpose_IsAuditedWithActorAndPurpose()
    {
        var (actions, purpose) = await PageAsync(Roles.Officer);
        var id = await DeclareAsync(actions, Guid.NewGuid().ToString("N"));
        await purpose.SetAsync(TestAccounts.Purpose, "案件 2026-17");

        var read = await actions.ReadAsync<RegistrationUseCases, RegistrationDto>(
            "GetRegistration", (uc, actor, ct) => uc.GetAsync(new GetRegistrationQuery(id), actor, ct));

        Assert.True(read.Succeeded, read.Failure?.Detail);
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var entry = await db.AuditEntries.AsNoTracking().Where(e => e.RegistrationId == id && e.Action == "read").SingleAsync();
        Assert.Equal("GetRegistration", entry.Operation);
        Assert.Equal(TestAccounts.Purpose + "; 案件 2026-17", entry.Purpose);
        Assert.Equal(Roles.Officer, entry.ActorRole);
    }

    [SkippableFact]
    public async Task Write_SameSubmitKeyTwice_SavesOnce()
    {
        var (actions, _) = await PageAsync(Roles.Officer);
        var key = Guid.NewGuid().ToString("N");
        var idNumber = TestData.NewIdNumber();

        var first = await DeclareAsync(actions, key, idNumber);
        var second = await DeclareAsync(actions, key, idNumber);

        Assert.Equal(first, second);
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var hmac = scope.ServiceProvider.GetRequiredService<Data.Security.IdentityProtector>().LookupHash(idNumber);
        Assert.Equal(1, await db.Registrations.IgnoreQueryFilters().CountAsync(r => r.PersonIdHmac == hmac));
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.RegistrationId == first && e.Action == "write"));
    }

    [SkippableFact]
    public async Task Write_Invalid_SavesNothingAndNamesTheField()
    {
        var (actions, _) = await PageAsync(Roles.Officer);
        var before = await AuditCountAsync();
        var json = TestData.Declaration();
        json["residenceAddress"] = "";
        var request = Request(json);

        var outcome = await actions.WriteAsync<RegistrationUseCases, Recorded>(
            "DeclareRegistration", Guid.NewGuid().ToString("N"), (uc, actor, ct) => uc.DeclareAsync(new DeclareRegistrationCommand(request), actor, ct));

        Assert.False(outcome.Succeeded);
        Assert.Equal(ErrorCode.ValidationFailed, outcome.Failure!.Code);
        Assert.Contains(outcome.Failure.Errors!.Keys, k => k.Contains("residenceAddress", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(before, await AuditCountAsync());
    }

    private DeclareRequest Request(System.Text.Json.Nodes.JsonObject json) =>
        json.Deserialize<DeclareRequest>(Factory.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions)!;

    private async Task<Guid> DeclareAsync(PageActions actions, string key, string? idNumber = null)
    {
        var request = Request(TestData.Declaration(idNumber ?? TestData.NewIdNumber(), residenceDivision: "140105"));
        var outcome = await actions.WriteAsync<RegistrationUseCases, Recorded>(
            "DeclareRegistration", key, (uc, actor, ct) => uc.DeclareAsync(new DeclareRegistrationCommand(request), actor, ct));
        Assert.True(outcome.Succeeded, outcome.Failure?.Detail + " " + string.Join("; ", outcome.Failure?.Errors?.Select(e => e.Key + ": " + string.Join(",", e.Value)) ?? []));
        return outcome.Value.Registration!.Id;
    }

    private async Task<int> AuditCountAsync()
    {
        using var scope = Factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<SojournDbContext>().AuditEntries.CountAsync();
    }

    /// <summary>A page's PageActions for a new account of <paramref name="role"/> in 140105, as its circuit would hold it.</summary>
    private async Task<(PageActions Actions, PurposeState Purpose)> PageAsync(string role)
    {
        var account = await Factory.CreateAsync(role, "140105", "140105000001");
        ClaimsPrincipal principal;
        using (var scope = Factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<SojournUser>>();
            var user = await users.FindByIdAsync(account.Id);
            principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<SojournUser>>().CreateAsync(user!);
        }

        var storage = new ProtectedSessionStorage(new SessionStorageJs(), Factory.Services.GetRequiredService<IDataProtectionProvider>());
        var purpose = new PurposeState(storage);
        var actions = new PageActions(
            Factory.Services.GetRequiredService<IServiceScopeFactory>(), new SignedIn(principal), purpose, new CircuitAddress { Ip = "127.0.0.1" },
            Factory.Services.GetRequiredService<IOptions<JsonOptions>>(), Factory.Services.GetRequiredService<TimeProvider>());
        return (actions, purpose);
    }

    private sealed class SignedIn(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }

    /// <summary>The browser's sessionStorage, as the protected storage calls it through JS interop.</summary>
    private sealed class SessionStorageJs : IJSRuntime
    {
        private readonly Dictionary<string, string> _items = [];

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => InvokeAsync<TValue>(identifier, CancellationToken.None, args);

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args)
        {
            var key = (string)args![0]!;
            object? result = identifier switch
            {
                "sessionStorage.getItem" => _items.GetValueOrDefault(key),
                "sessionStorage.setItem" => _items[key] = (string)args[1]!,
                "sessionStorage.removeItem" => _items.Remove(key),
                _ => throw new NotSupportedException(identifier),
            };
            return ValueTask.FromResult(identifier == "sessionStorage.getItem" ? (TValue)result! : default!);
        }
    }
}

public sealed class SqlitePageActionsTests(SqliteAppFixture fixture) : PageActionsTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresPageActionsTests(PostgresAppFixture fixture) : PageActionsTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
