using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Application.Actors;
using Sojourn.Application.Permits;
using Sojourn.Application.PersonalData;
using Sojourn.Data;
using Sojourn.Data.Security;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Permits;

/// <summary>
/// The permit steps are audited as their use cases declare in the personal-data ledger (the one audit step of the
/// route group, as for registrations): the person by lookup hash, the registration, the operation; a failed step
/// records nothing. A page calling the use case directly gets the same declarations. On SQLite and PostgreSQL.
/// </summary>
public abstract class PermitAuditTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    [SkippableFact]
    public async Task ApplyAndRead_AreRecordedUnderThePerson_AFailedStepRecordsNothing()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.StaffAsync("officer", place);
        var (registrationId, idNumber) = await Factory.RegisteredAsync(officer, place, ApplyFlow.RegisteredLongAgo);
        Factory.Clock.SetToday(ApplyFlow.ApplyDay);
        var applied = await officer.PostAsJsonAsync(ApplyFlow.Base, ApplyFlow.Application(registrationId, place, ApplyFlow.ApplyDay));
        await PermitScenario.Ensure(applied, HttpStatusCode.Created);
        var id = (string)(await ApplyFlow.Json(applied))["id"]!;
        await PermitScenario.Ensure(await officer.GetAsync($"{ApplyFlow.Base}/{id}"), HttpStatusCode.OK);
        var stale = await officer.PostAsJsonAsync($"{ApplyFlow.Base}/{id}/approve", new { version = 99 });
        await PermitScenario.Ensure(stale, HttpStatusCode.Conflict);

        var hash = HashOf(idNumber);
        var entries = await EntriesAsync(registrationId);
        Assert.Contains(entries, e => e.Operation == "ApplyForPermit" && e.Action == "write" && e.PersonIdHmac == hash);
        Assert.Contains(entries, e => e.Operation == "GetPermit" && e.Action == "read" && e.PersonIdHmac == hash && e.Purpose == TestAccounts.Purpose);
        Assert.DoesNotContain(entries, e => e.Operation == "ApprovePermit");
    }

    [SkippableFact]
    public async Task UseCase_CalledAsAPageWould_DeclaresItsRead()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.StaffAsync("officer", place);
        var (registrationId, _) = await Factory.RegisteredAsync(officer, place, ApplyFlow.RegisteredLongAgo);
        Factory.Clock.SetToday(ApplyFlow.ApplyDay);
        var applied = await officer.PostAsJsonAsync(ApplyFlow.Base, ApplyFlow.Application(registrationId, place, ApplyFlow.ApplyDay));
        await PermitScenario.Ensure(applied, HttpStatusCode.Created);
        var id = Guid.Parse((string)(await ApplyFlow.Json(applied))["id"]!);

        using var scope = Factory.Services.CreateScope();
        var actor = scope.ServiceProvider.GetRequiredService<CurrentActor>();
        actor.Set(ActorIdentity.System("permit-audit-test"));
        var read = await scope.ServiceProvider.GetRequiredService<GetPermitUseCase>().HandleAsync(new GetPermitQuery(id), actor, CancellationToken.None);
        var ledger = scope.ServiceProvider.GetRequiredService<PersonalDataLedger>();

        Assert.True(read.Succeeded);
        var use = Assert.Single(ledger.Uses);
        Assert.Equal((DataAction.Read, registrationId), (use.Action, use.Person.RegistrationId));
        Assert.Contains("idNumberMasked", use.Fields);
    }

    private async Task<List<Data.Audit.AuditEntry>> EntriesAsync(Guid registrationId)
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        return await db.AuditEntries.AsNoTracking().Where(e => e.RegistrationId == registrationId).ToListAsync();
    }

    private string HashOf(string idNumber)
    {
        using var scope = Factory.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<IdentityProtector>().LookupHash(idNumber);
    }
}

public sealed class SqlitePermitAuditTests(SqliteAppFixture fixture)
    : PermitAuditTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresPermitAuditTests(PostgresAppFixture fixture)
    : PermitAuditTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
