using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Application.Permits;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Rules.Permits;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Permits;

/// <summary>
/// GET /api/v1/me/reminders (MyRemindersUseCase, the same as the page /me): what is due now, dated by the permit and its
/// policy with the article, and the reminders the job sent; each migrant only their own; other roles refused.
/// </summary>
public abstract class MyRemindersTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    [SkippableFact]
    public async Task Mine_EndorsementWindowOpen_DueDateAndArticleFromPolicyAndSentReminder()
    {
        var issuedOn = new DateOnly(2026, 3, 2);
        var permit = await Factory.ValidPermitAsync(PermitPlace.Shanxi, issuedOn);
        var (opens, due) = await WindowAsync(permit.Id);
        Factory.Clock.SetToday(due.AddDays(-3));
        using var chief = await Factory.ClientAsAsync(Roles.StationChief, PermitPlace.Shanxi.Division, PermitPlace.Shanxi.StationCode);
        (await chief.PostAsync("/api/v1/permits/reminders/run", null)).EnsureSuccessStatusCode();
        using var migrant = await Factory.ClientAsAsync(Roles.Migrant, "", "", permit.IdNumber);

        var mine = (await migrant.GetFromJsonAsync<JsonObject>("/api/v1/me/reminders"))!;

        var terms = PermitLifecycle.Default.Terms(PermitPlace.Shanxi.Division, due.AddDays(-3), PermitPlace.Shanxi.PolicyId)!;
        var current = Assert.Single(((JsonArray)mine["current"]!), r => (string?)r!["kind"] == MyRemindersUseCase.EndorsementOpen)!;
        Assert.Equal(permit.Id.ToString(), (string?)current["permitId"]);
        Assert.Equal(due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), (string?)current["due"]);
        Assert.Equal(opens.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), (string?)current["opens"]);
        Assert.True((bool)current["canEndorse"]!);
        Assert.Contains(terms.EndorseWindow.Basis.Split(',')[0], (string)current["basis"]!, StringComparison.Ordinal);
        Assert.Contains("第", (string)current["citation"]!, StringComparison.Ordinal);
        var sent = Assert.Single((JsonArray)mine["sent"]!, r => (string?)r!["kind"] == "endorsement")!;
        Assert.Equal(permit.Id.ToString(), (string?)sent["permitId"]);
        Assert.False(string.IsNullOrEmpty((string?)sent["citation"]));
    }

    [SkippableFact]
    public async Task Mine_BeforeWindowAndOtherPerson_NoOpenReminderAndOnlyOwn()
    {
        var permit = await Factory.ValidPermitAsync(PermitPlace.Taizhou, new DateOnly(2026, 3, 2));
        var other = await Factory.ValidPermitAsync(PermitPlace.Taizhou, new DateOnly(2026, 3, 2));
        var (opens, _) = await WindowAsync(permit.Id);
        // Long before the window: nothing to endorse yet.
        Factory.Clock.SetToday(opens.AddDays(-200));
        using var migrant = await Factory.ClientAsAsync(Roles.Migrant, "", "", permit.IdNumber);
        using var officer = await Factory.OfficerAsync(PermitPlace.Taizhou);

        var mine = (await migrant.GetFromJsonAsync<JsonObject>("/api/v1/me/reminders"))!;
        var refused = await officer.GetAsync("/api/v1/me/reminders");

        var current = (JsonArray)mine["current"]!;
        Assert.DoesNotContain(current, r => (string?)r!["kind"] == MyRemindersUseCase.EndorsementOpen);
        Assert.DoesNotContain(current, r => (string?)r!["permitId"] == other.Id.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [SkippableFact]
    public async Task Mine_ReadIsAudited()
    {
        var permit = await Factory.ValidPermitAsync(PermitPlace.Shanxi, new DateOnly(2026, 3, 2));
        using var migrant = await Factory.ClientAsAsync(Roles.Migrant, "", "", permit.IdNumber);

        var response = await migrant.GetAsync("/api/v1/me/reminders");

        response.EnsureSuccessStatusCode();
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        Assert.True(await db.AuditEntries.IgnoreQueryFilters().AsNoTracking().AnyAsync(e => e.Operation == "MyPermitReminders"));
    }

    private async Task<(DateOnly Opens, DateOnly Due)> WindowAsync(Guid permitId)
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var p = await db.Permits.AsNoTracking().FirstAsync(p => p.Id == permitId);
        return (p.EndorsementOpens!.Value, p.EndorsementDue!.Value);
    }
}

public sealed class SqliteMyRemindersTests(SqliteAppFixture fixture)
    : MyRemindersTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresMyRemindersTests(PostgresAppFixture fixture)
    : MyRemindersTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
