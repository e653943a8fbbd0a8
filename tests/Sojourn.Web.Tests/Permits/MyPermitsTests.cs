using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Permits;

/// <summary>A migrant finds their own permits and applications, and no one else's.</summary>
public abstract class MyPermitsTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    [SkippableFact]
    public async Task Mine_Migrant_SeesOwnPermitsOnly()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.StaffAsync("officer", place);
        var (registrationId, idNumber) = await Factory.RegisteredAsync(officer, place, ApplyFlow.RegisteredLongAgo);
        Factory.Clock.SetToday(ApplyFlow.ApplyDay);
        var applied = await officer.PostAsJsonAsync(ApplyFlow.Base, ApplyFlow.Application(registrationId, place, ApplyFlow.ApplyDay));
        await PermitScenario.Ensure(applied, HttpStatusCode.Created);
        var permitId = (string)(await ApplyFlow.Json(applied))["id"]!;
        await Factory.AppliedAsync(officer, place); // someone else's application

        using var holder = await Factory.ClientAsAsync("migrant", idNumber: idNumber);
        var mine = JsonNode.Parse(await holder.GetStringAsync($"{ApplyFlow.Base}/mine"))!.AsArray();
        using var stranger = await Factory.ClientAsAsync("migrant", idNumber: TestData.NewIdNumber());
        var theirs = JsonNode.Parse(await stranger.GetStringAsync($"{ApplyFlow.Base}/mine"))!.AsArray();

        Assert.Equal(permitId, (string)Assert.Single(mine)!["id"]!);
        Assert.Equal("applied", (string)mine[0]!["status"]!);
        Assert.Empty(theirs);
    }
}

public sealed class SqliteMyPermitsTests(SqliteAppFixture fixture)
    : MyPermitsTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresMyPermitsTests(PostgresAppFixture fixture)
    : MyPermitsTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
