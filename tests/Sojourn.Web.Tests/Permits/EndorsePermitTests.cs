using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Rules.Permits;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Permits;

/// <summary>The yearly endorsement: only inside its window; a void permit cannot be endorsed.</summary>
public abstract class EndorsePermitTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    [SkippableTheory]
    [MemberData(nameof(PermitPlace.All), MemberType = typeof(PermitPlace))]
    public async Task Endorse_InsideWindow_CountsAndOpensNextYearsWindow(string placeName)
    {
        var place = PermitPlace.Named(placeName);
        using var collector = await Factory.StaffAsync("collector", place);
        using var officer = await Factory.StaffAsync("officer", place);
        var permit = await Factory.IssuedAsync(officer, place);
        var terms = ApplyFlow.Terms(place, ApplyFlow.ApplyDay);
        var (opens, due) = PermitLifecycle.Default.Endorsement(terms, ApplyFlow.ApplyDay, 1);
        Factory.Clock.SetToday(opens.AddDays(5));

        var response = await collector.PostAsJsonAsync($"{ApplyFlow.Base}/{permit["id"]}/endorse", EndorseBody(terms, (int)permit["version"]!));

        await PermitScenario.Ensure(response, HttpStatusCode.OK);
        var endorsed = await ApplyFlow.Json(response);
        var next = PermitLifecycle.Default.Endorsement(terms, ApplyFlow.ApplyDay, 2);
        Assert.Equal("valid", (string?)endorsed["status"]);
        Assert.Equal(1, (int)endorsed["endorsementsDone"]!);
        Assert.Equal(next.Opens, ApplyFlow.Day(endorsed["endorsementOpens"]));
        Assert.Equal(next.Due, ApplyFlow.Day(endorsed["endorsementDue"]));
        Assert.True(next.Due > due);
        var history = (await officer.GetFromJsonAsync<JsonArray>($"{ApplyFlow.Base}/{permit["id"]}/history"))!;
        var e = history[^1]!;
        Assert.Equal("endorsed", (string?)e["kind"]);
        Assert.Contains(terms.EndorseEvery.Basis, (string?)e["basis"], StringComparison.Ordinal);
        Assert.NotNull(e["engine"]!["policyHashes"]![place.PolicyId]);
    }

    [SkippableTheory]
    [MemberData(nameof(PermitPlace.All), MemberType = typeof(PermitPlace))]
    public async Task Endorse_BeforeWindowOpens_Returns422NamingWindowAndBasis(string placeName)
    {
        var place = PermitPlace.Named(placeName);
        using var officer = await Factory.StaffAsync("officer", place);
        var permit = await Factory.IssuedAsync(officer, place);
        Factory.Clock.SetToday(new DateOnly(2026, 12, 1));

        var response = await officer.PostAsJsonAsync($"{ApplyFlow.Base}/{permit["id"]}/endorse", new { version = (int)permit["version"]! });

        await PermitScenario.Ensure(response, HttpStatusCode.UnprocessableEntity);
        var body = await ApplyFlow.Json(response);
        Assert.Equal(40006, (int)body["errorCode"]!);
        Assert.Equal((string?)permit["endorsementOpens"], (string?)body["opens"]);
        Assert.Equal((string?)permit["endorsementDue"], (string?)body["due"]);
        Assert.Equal(ApplyFlow.Terms(place, ApplyFlow.ApplyDay).EndorseWindow.Basis, (string?)body["basis"]);
        Assert.Contains((string)permit["endorsementOpens"]!, (string?)body["detail"], StringComparison.Ordinal);
        var current = await ApplyFlow.Json(await officer.GetAsync($"{ApplyFlow.Base}/{permit["id"]}"));
        Assert.Equal((int)permit["version"]!, (int)current["version"]!);
    }

    [SkippableFact]
    public async Task Endorse_VoidPermit_Returns409MustReapply()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.StaffAsync("officer", place);
        var permit = await Factory.IssuedAsync(officer, place);
        var id = Guid.Parse((string)permit["id"]!);
        // No policy in force voids a permit (shanxi-2013 did); set the state directly.
        using (var scope = Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
            await db.Permits.Where(p => p.Id == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, "void"));
        }

        var response = await officer.PostAsJsonAsync($"{ApplyFlow.Base}/{id}/endorse", new { version = (int)permit["version"]! });

        await PermitScenario.Ensure(response, HttpStatusCode.Conflict);
        Assert.Equal(40004, (int)(await ApplyFlow.Json(response))["errorCode"]!);
    }

    [SkippableFact]
    public async Task Endorse_Taizhou_NeedsMaterialsAndConditionsConfirmedThenRecordsThem()
    {
        var place = PermitPlace.Taizhou;
        using var officer = await Factory.StaffAsync("officer", place);
        var permit = await Factory.IssuedAsync(officer, place);
        Factory.Clock.SetToday(DateOnly.Parse((string)permit["endorsementOpens"]!, System.Globalization.CultureInfo.InvariantCulture));
        var terms = ApplyFlow.Terms(place, ApplyFlow.ApplyDay);
        Assert.Equal("taizhou-2016#2.3.2", terms.EndorsementRequires.Basis);

        var bare = await officer.PostAsJsonAsync($"{ApplyFlow.Base}/{permit["id"]}/endorse", new { version = (int)permit["version"]! });

        await PermitScenario.Ensure(bare, HttpStatusCode.BadRequest);
        var errors = (await ApplyFlow.Json(bare))["errors"]!;
        Assert.NotNull(errors["conditionsMet"]);
        Assert.NotNull(errors["materials"]);
        var unchanged = await ApplyFlow.Json(await officer.GetAsync($"{ApplyFlow.Base}/{permit["id"]}"));
        Assert.Equal((int)permit["version"]!, (int)unchanged["version"]!);

        var endorsed = await officer.PostAsJsonAsync($"{ApplyFlow.Base}/{permit["id"]}/endorse", new
        {
            version = (int)permit["version"]!,
            conditionsMet = true,
            materials = terms.Materials.Select(m => m.Value).ToArray(),
        });

        await PermitScenario.Ensure(endorsed, HttpStatusCode.OK);
        var e = ChangeStepsFlow.Last(await officer.HistoryAsync(permit["id"]!), "endorsed");
        Assert.Equal("taizhou-2016#2.3.2", (string?)e["details"]!["requirements"]!["basis"]);
        Assert.True((bool)e["details"]!["requirements"]!["conditionsConfirmed"]!);
    }

    /// <summary>An endorsement body that meets every policy's requirements (materials, conditions confirmed: 台州 二(三)2).</summary>
    internal static object EndorseBody(Sojourn.Rules.Permits.PermitTerms terms, int version) =>
        new { version, conditionsMet = true, materials = terms.Materials.Select(m => m.Value).ToArray() };

    [SkippableFact]
    public async Task Endorse_Shanxi_NoMaterialsRequired()
    {
        Assert.Equal(new Sojourn.Rules.Loading.EndorsementRequirement(false, false),
            ApplyFlow.Terms(PermitPlace.Shanxi, ApplyFlow.ApplyDay).EndorsementRequires.Value);
        await Task.CompletedTask;
    }
}

public sealed class SqliteEndorsePermitTests(SqliteAppFixture fixture)
    : EndorsePermitTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresEndorsePermitTests(PostgresAppFixture fixture)
    : EndorsePermitTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
