using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Data.Permits;
using Sojourn.Web.Permits;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Permits;

/// <summary>One person, one permit (居住证一人一证): enforced by the database, not only by the API.</summary>
public abstract class OnePermitTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    [SkippableTheory]
    [InlineData("shanxi", "（《山西省流动人口服务管理办法》第十七条）")]
    [InlineData("shandong", "（《山东省流动人口服务管理暂行办法》第九条）")]
    [InlineData("taizhou", "《居住证暂行条例》未明文规定一人一证")]
    public async Task Apply_SecondWhileOneIsCurrent_Returns409CitingTheJurisdictionsArticleOrSayingSilent(string placeName, string expected)
    {
        var place = PermitPlace.Named(placeName);
        using var officer = await Factory.StaffAsync("officer", place);
        var first = await Factory.AppliedAsync(officer, place);

        var second = await officer.PostAsJsonAsync(ApplyFlow.Base,
            ApplyFlow.Application(Guid.Parse((string)first["registrationId"]!), place, ApplyFlow.ApplyDay));

        await PermitScenario.Ensure(second, HttpStatusCode.Conflict);
        var problem = await ApplyFlow.Json(second);
        Assert.Equal(40002, (int)problem["errorCode"]!);
        var detail = (string?)problem["detail"];
        Assert.Contains(expected, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("第九条）", placeName == "shandong" ? "" : detail, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Apply_AfterRefusal_AcceptedAgain()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.StaffAsync("officer", place);
        var first = await Factory.AppliedAsync(officer, place);
        var refused = await officer.PostAsJsonAsync($"{ApplyFlow.Base}/{first["id"]}/refuse",
            new { version = 1, reason = "材料不实", basis = new[] { "shanxi-2017#9" } });
        await PermitScenario.Ensure(refused, HttpStatusCode.OK);

        var again = await officer.PostAsJsonAsync(ApplyFlow.Base,
            ApplyFlow.Application(Guid.Parse((string)first["registrationId"]!), place, ApplyFlow.ApplyDay));

        await PermitScenario.Ensure(again, HttpStatusCode.Created);
    }

    [SkippableFact]
    public async Task Insert_SecondCurrentPermitThroughDbContext_DatabaseRefuses()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.StaffAsync("officer", place);
        var issued = await Factory.IssuedAsync(officer, place);
        var id = Guid.Parse((string)issued["id"]!);
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var existing = await db.Permits.AsNoTracking().SingleAsync(p => p.Id == id);
        var copy = Permit.AsItWas(PermitKind.FirstIssue, PermitSeed.HolderOf(existing), PermitSeed.ResidenceOf(existing), existing.AuthorityCode,
            existing.AuthorityName, new PermitApplication(existing.PolicyId, existing.AppliedOn, existing.IssueDue),
            new PermitIssue(PermitStatus.Applied) { Version = 1 }, DateTime.UtcNow, "test");
        db.Permits.Add(copy);

        var e = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.True(Sojourn.Application.Permits.PermitStore.IsOnePermitViolation(e), e.InnerException?.Message);
    }
}

public sealed class SqliteOnePermitTests(SqliteAppFixture fixture)
    : OnePermitTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresOnePermitTests(PostgresAppFixture fixture)
    : OnePermitTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
