using System.Text.Json;
using Sojourn.Rules.Evaluation;

namespace Sojourn.Rules.Tests.Policies;

/// <summary>show/diff rows, impact report and chain resolution.</summary>
public sealed class PolicyToolsTests
{
    [Fact]
    public void Rows_Shanxi2017_CiteInheritedValuesToTheirOwnPolicy()
    {
        var evaluator = TestCatalog.Of("cn-2016", "shanxi-2017");
        var rows = PolicyTable.Rows(evaluator.Catalog.Compile("shanxi-2017")).ToDictionary(r => r.Key);
        Assert.Equal("shanxi-2017#9", rows["duties.person.register-residence"].Basis);
        Assert.Equal("cn-2016#10", rows["duties.person.endorse-permit"].Basis);
        Assert.Equal("shanxi-2017#35", rows["sanctions.employer.report-hire"].Basis);
    }

    [Fact]
    public void Run_SameCaseUnderTwoVersions_CountsLostApplyPermitDuty()
    {
        var evaluator = TestCatalog.Of("cn-2016", "shanxi-2013", "shanxi-2017");
        using var doc = JsonDocument.Parse("""
            [{ "asOf": "2016-12-30", "person": { "hukouDivision": "370102", "birthDate": "1990-01-01" },
               "stay": { "residenceDivision": "140105", "arrivedOn": "2016-12-01", "intendedDays": 365, "purpose": "work" } }]
            """);
        var impact = PolicyImpact.Run(evaluator, TimeProvider.System, "shanxi-2013", "shanxi-2017", doc.RootElement, 3);
        Assert.Equal((1, 0, 1), (impact.Evaluated, impact.Rejected, impact.Counts["duties"]));
        Assert.Equal(1, impact.Counts["sanctions"]);
        Assert.Equal(0, impact.Counts["floating"]);
    }

    [Fact]
    public void Resolve_DivisionAndDate_PicksMostSpecificPolicyInForce()
    {
        var catalog = TestCatalog.Of("cn-2016", "shanxi-2013", "shanxi-2017", "datong-2014").Catalog;
        Assert.Equal(["datong-2014", "shanxi-2013"], catalog.Resolve(null, "140213", new DateOnly(2015, 1, 1))!.Ids);
        Assert.Equal(["shanxi-2013", "cn-2016"], catalog.Resolve(null, "140105", new DateOnly(2016, 1, 1))!.Ids);
        Assert.Equal(["shanxi-2017", "cn-2016"], catalog.Resolve(null, "140213", new DateOnly(2017, 1, 1))!.Ids);
        Assert.Equal(["cn-2016"], catalog.Resolve(null, "110105", new DateOnly(2020, 1, 1))!.Ids);
        Assert.Null(catalog.Resolve(null, "110105", new DateOnly(2015, 12, 31)));
    }

    [Fact]
    public void Resolve_SameChainTwice_ReturnsTheCompiledInstance()
    {
        var catalog = TestCatalog.Of("cn-2016", "shanxi-2017").Catalog;
        Assert.Same(catalog.Resolve(null, "140105", new DateOnly(2026, 1, 1)), catalog.Resolve(null, "140107", new DateOnly(2025, 5, 5)));
    }
}
