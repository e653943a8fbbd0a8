using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Application.Permits;
using Sojourn.Rules.Permits;
using Sojourn.Web.Permits;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Permits;

/// <summary>The daily sweep: missed endorsements suspend, validity ends; a late endorsement restores.</summary>
public abstract class SweepPermitTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    [SkippableTheory]
    [MemberData(nameof(PermitPlace.All), MemberType = typeof(PermitPlace))]
    public async Task Sweep_EndorsementMissed_SuspendsIdempotentlyAndLateEndorsementRestores(string placeName)
    {
        var place = PermitPlace.Named(placeName);
        using var chief = await Factory.StaffAsync("station-chief", place);
        using var officer = await Factory.StaffAsync("officer", place);
        var permit = await Factory.IssuedAsync(officer, place);
        var id = (string)permit["id"]!;
        var due = ApplyFlow.Day(permit["endorsementDue"])!.Value;
        Factory.Clock.SetToday(due);
        var onDueDay = await ApplyFlow.Json(await chief.PostAsJsonAsync($"{ApplyFlow.Base}/sweep", new { }));
        Factory.Clock.SetToday(due.AddDays(1));

        var swept = await chief.PostAsJsonAsync($"{ApplyFlow.Base}/sweep", new { });
        var again = await chief.PostAsJsonAsync($"{ApplyFlow.Base}/sweep", new { });

        await PermitScenario.Ensure(swept, HttpStatusCode.OK);
        var result = await ApplyFlow.Json(swept);
        var terms = ApplyFlow.Terms(place, due);
        Assert.Equal(LapseEffect.Suspended, terms.MissedEndorsement.Value);
        Assert.DoesNotContain(onDueDay["changes"]!.AsArray(), c => (string?)c!["permitId"] == id);
        var change = Assert.Single(result["changes"]!.AsArray(), c => (string?)c!["permitId"] == id)!;
        Assert.Equal("suspended", (string?)change["statusAfter"]);
        Assert.True((int)result["suspended"]! >= 1);
        Assert.DoesNotContain((await ApplyFlow.Json(again))["changes"]!.AsArray(), c => (string?)c!["permitId"] == id);
        var suspended = await ApplyFlow.Json(await officer.GetAsync($"{ApplyFlow.Base}/{id}"));
        Assert.Equal("suspended", (string?)suspended["status"]);

        var lateDay = due.AddDays(40);
        Factory.Clock.SetToday(lateDay);
        var late = await officer.PostAsJsonAsync($"{ApplyFlow.Base}/{id}/endorse", EndorsePermitTests.EndorseBody(ApplyFlow.Terms(place, lateDay), (int)suspended["version"]!));

        await PermitScenario.Ensure(late, HttpStatusCode.OK);
        var restored = await ApplyFlow.Json(late);
        var lateTerms = ApplyFlow.Terms(place, lateDay);
        Assert.Equal("valid", (string?)restored["status"]);
        Assert.Equal(
            lateTerms.LateEndorsement.Value == LateEndorsementYears.FromLateEndorsement ? lateDay : null,
            ApplyFlow.Day(restored["residenceCountsFrom"]));
        var next = PermitLifecycle.Default.Endorsement(lateTerms, lateDay, 1);
        Assert.Equal(next.Due, ApplyFlow.Day(restored["endorsementDue"]));

        var history = (await officer.GetFromJsonAsync<JsonArray>($"{ApplyFlow.Base}/{id}/history"))!;
        Assert.Equal(["applied", "issued", "endorsement-missed", "restored"], history.Select(e => (string?)e!["kind"]));
        Assert.All(history, e =>
        {
            Assert.False(string.IsNullOrEmpty((string?)e!["basis"]));
            Assert.Equal("1.0.0", (string?)e["engine"]!["version"]);
        });
        Assert.Equal(terms.MissedEndorsement.Basis, (string?)history[2]!["basis"]);
        Assert.Equal(ApplyFlow.Iso(due.AddDays(1)), (string?)history[2]!["effectiveOn"]);
        Assert.Contains(lateTerms.LateEndorsement.Basis, (string?)history[3]!["basis"], StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Sweep_PastValidity_ExpiresWithValidityBasis()
    {
        var place = PermitPlace.Shanxi;
        using var chief = await Factory.StaffAsync("station-chief", place);
        using var officer = await Factory.StaffAsync("officer", place);
        var permit = await Factory.IssuedAsync(officer, place);
        var id = (string)permit["id"]!;
        var validUntil = ApplyFlow.Day(permit["validUntil"])!.Value;
        Factory.Clock.SetToday(validUntil.AddDays(1));

        var swept = await ApplyFlow.Json(await chief.PostAsJsonAsync($"{ApplyFlow.Base}/sweep", new { }));

        var change = Assert.Single(swept["changes"]!.AsArray(), c => (string?)c!["permitId"] == id)!;
        Assert.Equal("expired", (string?)change["statusAfter"]);
        var history = (await officer.GetFromJsonAsync<JsonArray>($"{ApplyFlow.Base}/{id}/history"))!;
        Assert.Equal("expired", (string?)history[^1]!["kind"]);
        Assert.Equal(ApplyFlow.Terms(place, validUntil).Validity!.Basis, (string?)history[^1]!["basis"]);
    }

    [SkippableFact]
    public async Task Sweeper_OutsideARequest_RunsAsSystemOverEveryPermit()
    {
        var place = PermitPlace.Taizhou;
        using var officer = await Factory.StaffAsync("officer", place);
        var permit = await Factory.IssuedAsync(officer, place);
        var id = (string)permit["id"]!;
        Factory.Clock.SetToday(ApplyFlow.Day(permit["endorsementDue"])!.Value.AddDays(1));

        // As the hosted service does: its own scope, no HTTP request, so the "system" reach.
        using (var scope = Factory.Services.CreateScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<SweepPermitsUseCase>()
                .HandleAsync(scope.ServiceProvider.GetRequiredService<Sojourn.Application.Actors.CurrentActor>(), CancellationToken.None);
            Assert.True(outcome.Succeeded);
            var result = outcome.Value;
            Assert.Contains(result.Changes, c => c.PermitId.ToString() == id && c.StatusAfter == "suspended");
        }

        var history = (await officer.GetFromJsonAsync<JsonArray>($"{ApplyFlow.Base}/{id}/history"))!;
        Assert.Equal("system", (string?)history[^1]!["actor"]);
    }

    [SkippableFact]
    public async Task Sweep_ByOfficer_Returns403()
    {
        using var officer = await Factory.StaffAsync("officer", PermitPlace.Shanxi);

        var response = await officer.PostAsJsonAsync($"{ApplyFlow.Base}/sweep", new { });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}

public sealed class SqliteSweepPermitTests(SqliteAppFixture fixture)
    : SweepPermitTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresSweepPermitTests(PostgresAppFixture fixture)
    : SweepPermitTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
