using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sojourn.Data.Access;
using Sojourn.Rules.Permits;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Permits;

/// <summary>
/// Departure, return and cancellation (注销) under three policies, on SQLite and PostgreSQL: the 30-day return
/// exception of 山西2017 第十八条, immediate cancellation where a policy has none, death reported by a landlord,
/// settling, and the one-permit index freed by a cancellation.
/// </summary>
public abstract class CancelPermitTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    /// <summary>A Monday; departures are a month after the issue.</summary>
    private static readonly DateOnly IssueDay = new(2026, 3, 2);

    private static readonly DateOnly LeftOn = new(2026, 4, 1);

    private static DateOnly ReturnBy(PermitPlace place, PermitTerms terms) =>
        PermitLifecycle.Default.Due(terms.ReturnException!, place.Division, LeftOn);

    [SkippableFact]
    public async Task Departure_Shanxi2017_ReturnExceptionKeepsPermitThenCancelsAfterIt()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.CountyOfficerAsync(place);
        var (permit, _, _) = await Factory.IssuedAsync(officer, place, IssueDay);
        var id = permit["id"]!;
        var terms = ChangeStepsFlow.Terms(place, LeftOn);
        Assert.NotNull(terms.ReturnException);
        Assert.Equal(30, terms.ReturnException!.Value.Amount);
        var returnBy = ReturnBy(place, terms);

        // Leaves: the permit stays valid, cancellation pending until the exception ends.
        Factory.Clock.SetToday(LeftOn);
        var departed = await officer.StepAsync(officer, id, "departure", new JsonObject { ["leftOn"] = ApplyFlow.Iso(LeftOn) }).OkJsonAsync();
        Assert.Equal("valid", (string?)departed["status"]);
        Assert.Equal(ApplyFlow.Iso(LeftOn), (string?)departed["leftOn"]);
        var notice = ChangeStepsFlow.Last(await officer.HistoryAsync(id), "departure-notified");
        Assert.Equal(ApplyFlow.Iso(returnBy), (string?)notice["details"]!["returnBy"]);
        Assert.True((bool)notice["details"]!["cancellationPending"]!);
        Assert.Contains(terms.ReturnException.Basis, (string?)notice["basis"], StringComparison.Ordinal);
        Assert.NotNull(notice["engine"]!["policyHashes"]![place.PolicyId]);

        // Day 10: a cancellation on leaving is refused, naming the exception and its last day.
        Factory.Clock.SetToday(LeftOn.AddDays(10));
        var refused = await officer.StepAsync(officer, id, "cancel", new JsonObject { ["ground"] = "left" })
            .ProblemAsync(HttpStatusCode.Conflict, 40070);
        Assert.Contains(ApplyFlow.Iso(returnBy), (string?)refused["detail"], StringComparison.Ordinal);
        Assert.Contains(terms.ReturnException.Basis, (string?)refused["detail"], StringComparison.Ordinal);

        // Day 20: back in time, the permit stays valid and the departure is cleared.
        Factory.Clock.SetToday(LeftOn.AddDays(20));
        var back = await officer.StepAsync(officer, id, "return", new JsonObject { ["returnedOn"] = ApplyFlow.Iso(LeftOn.AddDays(20)) }).OkJsonAsync();
        Assert.Equal("valid", (string?)back["status"]);
        Assert.Null(back["leftOn"]);
        var returned = ChangeStepsFlow.Last(await officer.HistoryAsync(id), "returned");
        Assert.Equal(terms.ReturnException.Basis, (string?)returned["basis"]);

        // Leaves again on day 25 and stays away: past the exception the cancellation goes through.
        var secondLeft = LeftOn.AddDays(25);
        Factory.Clock.SetToday(secondLeft);
        await officer.StepAsync(officer, id, "departure", new JsonObject { ["leftOn"] = ApplyFlow.Iso(secondLeft) }).OkJsonAsync();
        var secondReturnBy = PermitLifecycle.Default.Due(terms.ReturnException, place.Division, secondLeft);
        Factory.Clock.SetToday(secondReturnBy.AddDays(1));
        await officer.StepAsync(officer, id, "return", new JsonObject { ["returnedOn"] = ApplyFlow.Iso(secondReturnBy.AddDays(1)) })
            .ProblemAsync(HttpStatusCode.UnprocessableEntity, 40006);
        var cancelled = await officer.StepAsync(officer, id, "cancel", new JsonObject { ["ground"] = "left", ["oldCardSurrendered"] = true }).OkJsonAsync();
        Assert.Equal("cancelled", (string?)cancelled["status"]);
        var history = await officer.HistoryAsync(id);
        var cancel = ChangeStepsFlow.Last(history, "cancelled");
        Assert.Equal(ApplyFlow.Iso(secondLeft), (string?)cancel["effectiveOn"]);
        Assert.Equal("left", (string?)cancel["details"]!["ground"]);
        Assert.True((bool)cancel["details"]!["oldCardSurrendered"]!);
        Assert.Contains(terms.CancelBeforeLeaving!.Basis, (string?)cancel["basis"], StringComparison.Ordinal);
        string[] steps = ["applied", "issued", "departure-notified", "returned", "cancelled"];
        Assert.Equal(
            ["applied", "issued", "departure-notified", "returned", "departure-notified", "cancelled"],
            history.Select(e => (string)e!["kind"]!).Where(steps.Contains).ToArray());
    }

    [SkippableFact]
    public async Task Cancel_LeftInsideExceptionWithFinal_Cancelled()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.CountyOfficerAsync(place);
        var (permit, _, _) = await Factory.IssuedAsync(officer, place, IssueDay);
        Factory.Clock.SetToday(LeftOn.AddDays(3));

        var cancelled = await officer.StepAsync(officer, permit["id"]!, "cancel", new JsonObject
        {
            ["ground"] = "left",
            ["effectiveOn"] = ApplyFlow.Iso(LeftOn),
            ["final"] = true,
        }).OkJsonAsync();

        Assert.Equal("cancelled", (string?)cancelled["status"]);
        Assert.True((bool)ChangeStepsFlow.Last(await officer.HistoryAsync(permit["id"]!), "cancelled")["details"]!["final"]!);
    }

    [SkippableTheory]
    [MemberData(nameof(PermitPlace.All), MemberType = typeof(PermitPlace))]
    public async Task Departure_PerPolicy_PendingWithExceptionOrCancelledAtOnce(string placeName)
    {
        var place = PermitPlace.Named(placeName);
        using var officer = await Factory.CountyOfficerAsync(place);
        var (permit, _, _) = await Factory.IssuedAsync(officer, place, IssueDay);
        var terms = ChangeStepsFlow.Terms(place, LeftOn);
        Factory.Clock.SetToday(LeftOn);

        var departed = await officer.StepAsync(officer, permit["id"]!, "departure", new JsonObject { ["leftOn"] = ApplyFlow.Iso(LeftOn) }).OkJsonAsync();

        var history = await officer.HistoryAsync(permit["id"]!);
        if (terms.ReturnException is null)
        {
            // No exception in this policy: leaving is the cancellation.
            Assert.Equal("cancelled", (string?)departed["status"]);
            Assert.Equal("left", (string?)ChangeStepsFlow.Last(history, "cancelled")["details"]!["ground"]);
            Assert.False((bool)ChangeStepsFlow.Last(history, "departure-notified")["details"]!["cancellationPending"]!);
        }
        else
        {
            Assert.Equal("valid", (string?)departed["status"]);
            Assert.DoesNotContain(history, e => (string?)e!["kind"] == "cancelled");
        }
    }

    [SkippableFact]
    public async Task Sweep_AfterReturnException_CancelsDepartedPermit()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.CountyOfficerAsync(place);
        using var chief = await Factory.CountyOfficerAsync(place, Roles.StationChief);
        var (permit, _, _) = await Factory.IssuedAsync(officer, place, IssueDay);
        Factory.Clock.SetToday(LeftOn);
        await officer.StepAsync(officer, permit["id"]!, "departure", new JsonObject { ["leftOn"] = ApplyFlow.Iso(LeftOn) }).OkJsonAsync();
        var returnBy = ReturnBy(place, ChangeStepsFlow.Terms(place, LeftOn));

        Factory.Clock.SetToday(returnBy);
        await chief.PostAsync($"{ChangeStepsFlow.Base}/sweep", null).OkJsonAsync();
        Assert.Equal("valid", (string?)(await officer.GetAsync(permit["id"]!))["status"]);

        Factory.Clock.SetToday(returnBy.AddDays(1));
        var swept = await chief.PostAsync($"{ChangeStepsFlow.Base}/sweep", null).OkJsonAsync();

        Assert.True((int)swept["other"]!["departuresCancelled"]! >= 1);
        Assert.Equal("cancelled", (string?)(await officer.GetAsync(permit["id"]!))["status"]);
        var cancel = ChangeStepsFlow.Last(await officer.HistoryAsync(permit["id"]!), "cancelled");
        Assert.Equal(ApplyFlow.Iso(LeftOn), (string?)cancel["effectiveOn"]);
    }

    [SkippableTheory]
    [MemberData(nameof(PermitPlace.All), MemberType = typeof(PermitPlace))]
    public async Task Cancel_DeathReportedByLandlordReporter_CancelledWhereThePolicyNamesLandlords(string placeName)
    {
        var place = PermitPlace.Named(placeName);
        using var officer = await Factory.CountyOfficerAsync(place);
        using var landlord = await Factory.LongClientAsync(Roles.Reporter, "", "");
        var (permit, _, _) = await Factory.IssuedAsync(officer, place, IssueDay, declarer: landlord);
        var terms = ChangeStepsFlow.Terms(place, LeftOn);
        Factory.Clock.SetToday(LeftOn);
        var body = new JsonObject { ["ground"] = "death", ["effectiveOn"] = ApplyFlow.Iso(LeftOn.AddDays(-1)), ["reportedBy"] = "landlord" };

        var response = await landlord.StepAsync(officer, permit["id"]!, "cancel", body);

        if (terms.DeathReportedBy.Value.Contains("landlord"))
        {
            await PermitScenario.Ensure(response, HttpStatusCode.OK);
            var cancel = ChangeStepsFlow.Last(await officer.HistoryAsync(permit["id"]!), "cancelled");
            Assert.Equal(terms.DeathReportedBy.Basis, (string?)cancel["basis"]);
            Assert.Equal("landlord", (string?)cancel["details"]!["reportedBy"]);
            Assert.StartsWith("reporter:", (string?)cancel["actor"], StringComparison.Ordinal);
        }
        else
        {
            await PermitScenario.Ensure(response, HttpStatusCode.Forbidden);
            Assert.Equal("valid", (string?)(await officer.GetAsync(permit["id"]!))["status"]);
        }
    }

    [SkippableFact]
    public async Task Cancel_DeathReportedByUnrelatedReporter_Returns404()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.CountyOfficerAsync(place);
        using var stranger = await Factory.LongClientAsync(Roles.Reporter, "", "");
        var (permit, _, _) = await Factory.IssuedAsync(officer, place, IssueDay);
        Factory.Clock.SetToday(LeftOn);

        var response = await stranger.StepAsync(officer, permit["id"]!, "cancel",
            new JsonObject { ["ground"] = "death", ["effectiveOn"] = ApplyFlow.Iso(LeftOn), ["reportedBy"] = "employer" });

        await PermitScenario.Ensure(response, HttpStatusCode.NotFound);
        Assert.Equal("valid", (string?)(await officer.GetAsync(permit["id"]!))["status"]);
    }

    [SkippableFact]
    public async Task Cancel_ReporterOnGroundLeft_Returns403()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.CountyOfficerAsync(place);
        using var landlord = await Factory.LongClientAsync(Roles.Reporter, "", "");
        var (permit, _, _) = await Factory.IssuedAsync(officer, place, IssueDay, declarer: landlord);
        Factory.Clock.SetToday(LeftOn);

        await landlord.StepAsync(officer, permit["id"]!, "cancel", new JsonObject { ["ground"] = "left", ["effectiveOn"] = ApplyFlow.Iso(LeftOn), ["final"] = true })
            .ProblemAsync(HttpStatusCode.Forbidden, 40074);
    }

    [SkippableTheory]
    [MemberData(nameof(PermitPlace.All), MemberType = typeof(PermitPlace))]
    public async Task Cancel_SettledByMigrantSelf_RecordsDueAndLateness(string placeName)
    {
        var place = PermitPlace.Named(placeName);
        using var officer = await Factory.CountyOfficerAsync(place);
        var (permit, _, idNumber) = await Factory.IssuedAsync(officer, place, IssueDay);
        using var migrant = await Factory.LongClientAsync(Roles.Migrant, "", "", idNumber);
        var settledOn = LeftOn;
        var terms = ChangeStepsFlow.Terms(place, settledOn);
        Factory.Clock.SetToday(settledOn.AddDays(20));

        var cancelled = await migrant.StepAsync(migrant, permit["id"]!, "cancel", new JsonObject
        {
            ["ground"] = "settled",
            ["effectiveOn"] = ApplyFlow.Iso(settledOn),
        }).OkJsonAsync();

        Assert.Equal("cancelled", (string?)cancelled["status"]);
        var cancel = ChangeStepsFlow.Last(await officer.HistoryAsync(permit["id"]!), "cancelled");
        if (terms.CancelAfterSettling is { } settling)
        {
            var due = PermitLifecycle.Default.Due(settling, place.Division, settledOn);
            Assert.Equal(ApplyFlow.Iso(due), (string?)cancel["details"]!["due"]);
            Assert.Equal(settledOn.AddDays(20) > due, (bool)cancel["details"]!["late"]!);
            Assert.Equal(settling.Basis, (string?)cancel["basis"]);
        }
        else
        {
            Assert.Null(cancel["details"]!["due"]);
            Assert.Equal(terms.PolicyId, (string?)cancel["basis"]);
        }
    }

    [SkippableFact]
    public async Task Cancel_MigrantReportsOwnDeath_Returns403()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.CountyOfficerAsync(place);
        var (permit, _, idNumber) = await Factory.IssuedAsync(officer, place, IssueDay);
        using var migrant = await Factory.LongClientAsync(Roles.Migrant, "", "", idNumber);

        await migrant.StepAsync(migrant, permit["id"]!, "cancel", new JsonObject { ["ground"] = "death", ["effectiveOn"] = ApplyFlow.Iso(IssueDay), ["reportedBy"] = "close-relative" })
            .ProblemAsync(HttpStatusCode.Forbidden, 40074);
    }

    [SkippableTheory]
    [MemberData(nameof(PermitPlace.All), MemberType = typeof(PermitPlace))]
    public async Task Cancel_ThenApplyAgain_OnePermitIndexFreed(string placeName)
    {
        var place = PermitPlace.Named(placeName);
        using var officer = await Factory.CountyOfficerAsync(place);
        var (permit, registrationId, _) = await Factory.IssuedAsync(officer, place, IssueDay);
        Factory.Clock.SetToday(LeftOn);
        await officer.PostAsJsonAsync(ChangeStepsFlow.Base, ApplyFlow.Application(registrationId, place, LeftOn))
            .ProblemAsync(HttpStatusCode.Conflict, 40002);

        await officer.StepAsync(officer, permit["id"]!, "cancel", new JsonObject
        {
            ["ground"] = "settled",
            ["effectiveOn"] = ApplyFlow.Iso(LeftOn),
        }).OkJsonAsync();
        var again = await officer.PostAsJsonAsync(ChangeStepsFlow.Base, ApplyFlow.Application(registrationId, place, LeftOn)).OkJsonAsync(HttpStatusCode.Created);

        Assert.Equal("applied", (string?)again["status"]);
        Assert.NotEqual((string?)permit["id"], (string?)again["id"]);
    }

    [SkippableFact]
    public async Task Cancel_WithoutVersion_Returns428AndStaleReturns409()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.CountyOfficerAsync(place);
        var (permit, _, _) = await Factory.IssuedAsync(officer, place, IssueDay);
        var id = permit["id"]!;

        await officer.PostAsJsonAsync($"{ChangeStepsFlow.Base}/{id}/cancel", new { ground = "settled", effectiveOn = ApplyFlow.Iso(IssueDay) })
            .ProblemAsync(HttpStatusCode.PreconditionRequired, 10003);
        await officer.PostAsJsonAsync($"{ChangeStepsFlow.Base}/{id}/cancel", new { version = 1, ground = "settled", effectiveOn = ApplyFlow.Iso(IssueDay) })
            .ProblemAsync(HttpStatusCode.Conflict, 10004);
    }

    [SkippableTheory]
    [MemberData(nameof(PermitPlace.All), MemberType = typeof(PermitPlace))]
    public async Task Cancel_ObtainedByFraud_ConfiscatedWithThePolicysBasisAndRecord(string placeName)
    {
        var place = PermitPlace.Named(placeName);
        using var officer = await Factory.CountyOfficerAsync(place);
        var (permit, _, _) = await Factory.IssuedAsync(officer, place, IssueDay);
        var id = permit["id"]!;
        Factory.Clock.SetToday(LeftOn);
        var terms = ChangeStepsFlow.Terms(place, LeftOn);
        var ground = terms.ConfiscationGrounds.Single(g => g.Value == "obtained-by-fraud");

        // Without the finding nothing is saved.
        await officer.StepAsync(officer, id, "cancel", new JsonObject { ["ground"] = "obtained-by-fraud" })
            .ProblemAsync(HttpStatusCode.BadRequest, 10001);
        Assert.Equal("valid", (string?)(await officer.GetAsync(id))["status"]);

        var cancelled = await officer.StepAsync(officer, id, "cancel", new JsonObject
        {
            ["ground"] = "obtained-by-fraud",
            ["reason"] = "以伪造的劳动合同申领",
        }).OkJsonAsync();

        Assert.Equal("cancelled", (string?)cancelled["status"]);
        var record = ChangeStepsFlow.Last(await officer.HistoryAsync(id), "cancelled");
        Assert.Equal(ground.Basis, (string?)record["basis"]);
        Assert.Equal("cn-2016#19", (string?)record["basis"]);
        Assert.Equal("obtained-by-fraud", (string?)record["details"]!["ground"]);
        Assert.True((bool)record["details"]!["confiscated"]!);
        Assert.Equal(ApplyFlow.Iso(LeftOn), (string?)record["effectiveOn"]);
        Assert.Equal("以伪造的劳动合同申领", (string?)record["reason"]);
    }
}

public sealed class SqliteCancelPermitTests(SqliteAppFixture fixture)
    : CancelPermitTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresCancelPermitTests(PostgresAppFixture fixture)
    : CancelPermitTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
