using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Rules.Evaluation;
using Sojourn.Rules.Loading;
using Sojourn.Rules.Periods;
using Sojourn.Rules.Permits;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Permits;

/// <summary>
/// 到期换领: applied for on the valid row (it stays valid), issued as a successor row (old superseded); no
/// validity → 409; outside the window → 422. SQLite and PostgreSQL.
/// </summary>
public abstract class RenewPermitTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    private static readonly DateOnly IssueDay = new(2026, 3, 2);

    [SkippableTheory]
    [MemberData(nameof(PermitPlace.All), MemberType = typeof(PermitPlace))]
    public async Task Renew_PerPolicy_NoValidity409OrAppliedThenIssuedAsSuccessor(string placeName)
    {
        var place = PermitPlace.Named(placeName);
        using var officer = await Factory.CountyOfficerAsync(place);
        var (permit, _, _) = await Factory.IssuedAsync(officer, place, IssueDay);
        var id = permit["id"]!;
        var validUntil = ApplyFlow.Day(permit["validUntil"]);
        if (validUntil is null)
        {
            // No validity in the policy (居住证暂行条例 sets none): nothing to renew.
            Factory.Clock.SetToday(IssueDay.AddYears(1));
            var none = await officer.StepAsync(officer, id, "renew").ProblemAsync(HttpStatusCode.Conflict, 40072);
            Assert.Contains(ChangeStepsFlow.Terms(place, IssueDay).PolicyId, (string?)none["detail"], StringComparison.Ordinal);
            return;
        }

        var applyOn = validUntil.Value.AddDays(-20);
        var terms = ChangeStepsFlow.Terms(place, applyOn);
        Factory.Clock.SetToday(applyOn);
        var applied = await officer.StepAsync(officer, id, "renew").OkJsonAsync();
        Assert.Equal("valid", (string?)applied["status"]);
        var application = ChangeStepsFlow.Last(await officer.HistoryAsync(id), "renewal-applied");
        Assert.Equal(ApplyFlow.Iso(PermitLifecycle.Default.IssueDue(terms, place.Division, applyOn, remote: false)), (string?)application["details"]!["issueDue"]);
        Assert.NotNull(application["engine"]!["policyHashes"]![place.PolicyId]);
        await officer.StepAsync(officer, id, "renew").ProblemAsync(HttpStatusCode.Conflict, 40076);

        Factory.Clock.SetToday(applyOn.AddDays(5));
        var successor = await officer.StepAsync(officer, id, "renew/issue").OkJsonAsync(HttpStatusCode.Created);

        Assert.Equal("renewal", (string?)successor["kind"]);
        Assert.Equal("valid", (string?)successor["status"]);
        Assert.Equal((string?)id, (string?)successor["predecessorId"]);
        Assert.NotEqual((string?)permit["permitNumber"], (string?)successor["permitNumber"]);
        Assert.Equal(ApplyFlow.Iso(PermitLifecycle.Default.ValidUntil(terms, applyOn.AddDays(5))!.Value), (string?)successor["validUntil"]);
        var fee = terms.Fees.GetValueOrDefault("renewal");
        Assert.Equal(fee?.Value, (int?)successor["feeYuan"]);
        Assert.Equal(fee?.Basis, (string?)successor["feeBasis"]);
        Assert.Equal("superseded", (string?)(await officer.GetAsync(id))["status"]);
        Assert.Equal("superseded", (string?)ChangeStepsFlow.Last(await officer.HistoryAsync(id), "superseded")["statusAfter"]);
        var issued = ChangeStepsFlow.Last(await officer.HistoryAsync(successor["id"]!), "issued");
        Assert.True((bool)issued["details"]!["issueDueMet"]!);
    }

    [SkippableFact]
    public async Task Renew_Shanxi2017AfterExpiry_Returns422()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.CountyOfficerAsync(place);
        var (permit, _, _) = await Factory.IssuedAsync(officer, place, IssueDay);
        var validUntil = ApplyFlow.Day(permit["validUntil"])!.Value;
        Factory.Clock.SetToday(validUntil.AddDays(1));

        var late = await officer.StepAsync(officer, permit["id"]!, "renew").ProblemAsync(HttpStatusCode.UnprocessableEntity, 40006);

        Assert.Contains(ApplyFlow.Iso(validUntil), (string?)late["detail"], StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Renew_Shanxi2013LongBeforeTheDeadline_AcceptedOnTime()
    {
        // 山西2013 第二十條 應在有效期滿30日前……辦理換髮手續 is a deadline: any day up to 30 days before expiry is on
        // time (the old reading, a window of the last 30 days, refused exactly these days with 422).
        var place = PermitPlace.Shanxi;
        var issued = new DateOnly(2014, 6, 2);
        var applyOn = new DateOnly(2016, 6, 6);
        using var officer = await Factory.CountyOfficerAsync(place);
        var (registration, _) = await Factory.RegisteredAsync(officer, officer, place.Division, place.StationCode, place.StationName, issued.AddMonths(-1));
        var permitId = await Factory.InsertIssuedAsync(registration, issued, "shanxi-2013");
        var terms = ChangeStepsFlow.Terms(place, applyOn);
        Assert.Equal("shanxi-2013", terms.PolicyId);
        Factory.Clock.SetToday(applyOn);

        var applied = await officer.StepAsync(officer, permitId, "renew").OkJsonAsync();

        Assert.Equal("valid", (string?)applied["status"]);
        var application = ChangeStepsFlow.Last(await officer.HistoryAsync(permitId), "renewal-applied");
        var validUntil = PermitLifecycle.Default.ValidUntil(terms, issued)!.Value;
        Assert.Equal(ApplyFlow.Iso(validUntil.AddDays(-30)), (string?)application["details"]!["deadline"]);
        Assert.Equal("shanxi-2013#20", (string?)application["details"]!["deadlineBasis"]);
        Assert.False((bool)application["details"]!["late"]!);
        Assert.Contains("shanxi-2013#20", (string?)application["basis"], StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task RenewIssue_WithoutApplication_Returns409()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.CountyOfficerAsync(place);
        var (permit, _, _) = await Factory.IssuedAsync(officer, place, IssueDay);

        await officer.StepAsync(officer, permit["id"]!, "renew/issue").ProblemAsync(HttpStatusCode.Conflict, 40076);
    }
}

public sealed class SqliteRenewPermitTests(SqliteAppFixture fixture)
    : RenewPermitTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresRenewPermitTests(PostgresAppFixture fixture)
    : RenewPermitTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;

/// <summary>
/// The renewal window. No policy reachable by the application flow sets one (山西2013 and 大同2014 do, but
/// their five-year permits expire after 2017, under 山西2017, which sets none), so the app here runs over the
/// embedded policies with a window of three months given to 山西2017 — test data, not law.
/// </summary>
public abstract class RenewWindowTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    private static readonly DateOnly IssueDay = new(2026, 3, 2);

    public static readonly Period Window = new(3, PeriodUnit.Months);

    public static PermitLifecycle WithWindow()
    {
        var policies = PolicyCatalog.Default.Policies
            .Select(p => p.Id != "shanxi-2017" ? p : p with
            {
                Lifecycle = p.Lifecycle with { RenewWithin = new LifecycleValue<Period?>(Window, "38", "测试用换领期") },
            })
            .ToList();
        return new PermitLifecycle(new PolicyCatalog(policies, PolicyCatalog.Default.Calendar));
    }

    public static SojournAppFactory Create(DatabaseKind kind) =>
        new(kind, b => b.ConfigureTestServices(s => s.AddSingleton(WithWindow())));

    [SkippableFact]
    public async Task Renew_BeforeWindowThenInside_422Then200()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.CountyOfficerAsync(place);
        var (permit, _, _) = await Factory.IssuedAsync(officer, place, IssueDay);
        var validUntil = ApplyFlow.Day(permit["validUntil"])!.Value;
        var opens = PeriodMath.WindowStart(validUntil, Window);

        Factory.Clock.SetToday(opens.AddDays(-1));
        var early = await officer.StepAsync(officer, permit["id"]!, "renew").ProblemAsync(HttpStatusCode.UnprocessableEntity, 40006);
        Assert.Contains(ApplyFlow.Iso(opens), (string?)early["detail"], StringComparison.Ordinal);
        Assert.Contains("shanxi-2017#38", (string?)early["detail"], StringComparison.Ordinal);

        Factory.Clock.SetToday(opens);
        var applied = await officer.StepAsync(officer, permit["id"]!, "renew").OkJsonAsync();
        Assert.Equal("valid", (string?)applied["status"]);
        var application = ChangeStepsFlow.Last(await officer.HistoryAsync(permit["id"]!), "renewal-applied");
        Assert.Equal(ApplyFlow.Iso(opens), (string?)application["details"]!["windowOpens"]);
    }
}

public sealed class RenewWindowSqliteFixture : IDisposable
{
    public SojournAppFactory Factory { get; } = RenewWindowTests.Create(DatabaseKind.Sqlite);

    public void Dispose() => Factory.Dispose();
}

public sealed class RenewWindowPostgresFixture : IDisposable
{
    public RenewWindowPostgresFixture()
    {
        if (PostgresCluster.FindBinDir() is null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(PostgresCluster.EnableHint);
            }

            SkipReason = PostgresCluster.EnableHint;
            return;
        }

        Factory = RenewWindowTests.Create(DatabaseKind.Postgres);
    }

    public SojournAppFactory? Factory { get; }

    public string? SkipReason { get; }

    public void Dispose() => Factory?.Dispose();
}

public sealed class SqliteRenewWindowTests(RenewWindowSqliteFixture fixture)
    : RenewWindowTests(fixture.Factory, null), IClassFixture<RenewWindowSqliteFixture>;

public sealed class PostgresRenewWindowTests(RenewWindowPostgresFixture fixture)
    : RenewWindowTests(fixture.Factory, fixture.SkipReason), IClassFixture<RenewWindowPostgresFixture>;
