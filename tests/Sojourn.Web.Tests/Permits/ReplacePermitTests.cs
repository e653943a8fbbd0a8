using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Data.Permits;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Permits;

/// <summary>
/// 损坏换领 (old card handed back) and 丢失补领: a successor with a new number, the same validity and endorsement
/// state, and the policy's fee with its article; the old row superseded. SQLite and PostgreSQL.
/// </summary>
public abstract class ReplacePermitTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    private static readonly DateOnly IssueDay = new(2026, 3, 2);
    private static readonly DateOnly StepDay = new(2026, 7, 6);

    [SkippableTheory]
    [MemberData(nameof(PermitPlace.All), MemberType = typeof(PermitPlace))]
    public async Task Replace_WithoutSurrender_Returns422AndNothingChanges(string placeName)
    {
        var place = PermitPlace.Named(placeName);
        using var officer = await Factory.CountyOfficerAsync(place);
        var (permit, _, _) = await Factory.IssuedAsync(officer, place, IssueDay);
        Factory.Clock.SetToday(StepDay);

        await officer.StepAsync(officer, permit["id"]!, "replace", new JsonObject { ["oldCardSurrendered"] = false })
            .ProblemAsync(HttpStatusCode.UnprocessableEntity, 40073);

        Assert.Equal("valid", (string?)(await officer.GetAsync(permit["id"]!))["status"]);
    }

    [SkippableFact]
    public async Task Replace_WithoutSurrender_DetailCitesTheChainsArticleAndTheRecordKeepsIt()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.CountyOfficerAsync(place);
        var (permit, _, _) = await Factory.IssuedAsync(officer, place, IssueDay);
        var terms = ChangeStepsFlow.Terms(place, StepDay);
        Factory.Clock.SetToday(StepDay);
        Assert.Equal("cn-2016#11", terms.ReplacementReturnsOldCard.Basis);

        var problem = await officer.StepAsync(officer, permit["id"]!, "replace", new JsonObject { ["oldCardSurrendered"] = false })
            .ProblemAsync(HttpStatusCode.UnprocessableEntity, 40073);
        Assert.Contains("《居住证暂行条例》第十一条", (string?)problem["detail"], StringComparison.Ordinal);

        var successor = await officer.StepAsync(officer, permit["id"]!, "replace", new JsonObject { ["oldCardSurrendered"] = true })
            .OkJsonAsync(HttpStatusCode.Created);
        var issued = ChangeStepsFlow.Last(await officer.HistoryAsync(successor["id"]!), "issued");
        Assert.True((bool)issued["details"]!["oldCardRequired"]!);
        Assert.Equal("cn-2016#11", (string?)issued["details"]!["oldCardBasis"]);
        Assert.Contains("cn-2016#11", (string?)issued["basis"], StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("shanxi", "replace", "replacement")]
    [InlineData("shandong", "replace", "replacement")]
    [InlineData("taizhou", "replace", "replacement")]
    [InlineData("shanxi", "reissue", "reissue")]
    [InlineData("shandong", "reissue", "reissue")]
    [InlineData("taizhou", "reissue", "reissue")]
    public async Task ReplaceOrReissue_Valid_SuccessorWithNewNumberSameStateAndPolicyFee(string placeName, string step, string kind)
    {
        var place = PermitPlace.Named(placeName);
        using var officer = await Factory.CountyOfficerAsync(place);
        var (permit, _, _) = await Factory.IssuedAsync(officer, place, IssueDay);
        var terms = ChangeStepsFlow.Terms(place, StepDay);
        Factory.Clock.SetToday(StepDay);

        var successor = await officer.StepAsync(officer, permit["id"]!, step, new JsonObject { ["oldCardSurrendered"] = kind == "replacement" })
            .OkJsonAsync(HttpStatusCode.Created);

        Assert.Equal(kind, (string?)successor["kind"]);
        Assert.Equal("valid", (string?)successor["status"]);
        Assert.Equal((string?)permit["id"], (string?)successor["predecessorId"]);
        Assert.NotEqual((string?)permit["permitNumber"], (string?)successor["permitNumber"]);
        Assert.Equal((string?)permit["validUntil"], (string?)successor["validUntil"]);
        Assert.Equal((string?)permit["endorsementDue"], (string?)successor["endorsementDue"]);
        Assert.Equal((int)permit["endorsementsDone"]!, (int)successor["endorsementsDone"]!);
        Assert.Equal(ApplyFlow.Iso(StepDay), (string?)successor["issuedOn"]);
        var fee = terms.Fees.GetValueOrDefault(kind);
        Assert.Equal(fee?.Value, (int?)successor["feeYuan"]);
        Assert.Equal(fee?.Basis, (string?)successor["feeBasis"]);
        var issued = ChangeStepsFlow.Last(await officer.HistoryAsync(successor["id"]!), "issued");
        if (fee is { Value: null })
        {
            Assert.False(string.IsNullOrEmpty((string?)issued["details"]!["feeNote"]));
        }

        var old = await officer.GetAsync(permit["id"]!);
        Assert.Equal("superseded", (string?)old["status"]);
        var superseded = ChangeStepsFlow.Last(await officer.HistoryAsync(permit["id"]!), "superseded");
        Assert.Equal((string?)successor["id"], (string?)superseded["details"]!["successorId"]);

        // One person, one permit: exactly one current row, the successor.
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var hmac = await db.Permits.Where(p => p.Id == Guid.Parse((string)permit["id"]!)).Select(p => p.PersonIdHmac).SingleAsync();
        var current = await db.Permits.Where(p => p.PersonIdHmac == hmac && PermitStatus.Current.Contains(p.Status)).Select(p => p.Id).ToListAsync();
        Assert.Equal([Guid.Parse((string)successor["id"]!)], current);
    }

    [SkippableFact]
    public async Task Reissue_Superseded_Returns409()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.CountyOfficerAsync(place);
        var (permit, _, _) = await Factory.IssuedAsync(officer, place, IssueDay);
        Factory.Clock.SetToday(StepDay);
        await officer.StepAsync(officer, permit["id"]!, "reissue").OkJsonAsync(HttpStatusCode.Created);

        await officer.StepAsync(officer, permit["id"]!, "reissue").ProblemAsync(HttpStatusCode.Conflict, 40004);
    }
}

public sealed class SqliteReplacePermitTests(SqliteAppFixture fixture)
    : ReplacePermitTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresReplacePermitTests(PostgresAppFixture fixture)
    : ReplacePermitTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
