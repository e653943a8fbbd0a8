using Sojourn.Rules.Evaluation;

namespace Sojourn.Rules.Tests.Policies;

/// <summary>The policy browser's list, values and diff: what the CLI and the public pages show.</summary>
public sealed class PolicyBrowserTests
{
    [Fact]
    public void List_NamesEveryPolicyWithItsRegion()
    {
        var list = PolicyBrowser.Default.List();
        Assert.Equal(PolicyCatalog.Default.Policies.Count, list.Count);
        Assert.Equal("全国", list.Single(p => p.Id == "cn-2016").Region);
        Assert.Equal("山西省", list.Single(p => p.Id == "shanxi-2017").Region);
        Assert.Equal(new DateOnly(2016, 12, 31), list.Single(p => p.Id == "shanxi-2013").InForceUntil);
    }

    [Fact]
    public void Diff_Shanxi2013And2017_ChangedValuesCiteBothArticles()
    {
        var diff = PolicyBrowser.Default.Diff("shanxi-2013", "shanxi-2017")!;
        var register = diff.Differences.Single(d => d.Key == "duties.person.register-residence");
        Assert.Equal(DifferenceKind.Changed, register.Kind);
        Assert.Equal("shanxi-2013#8", register.A!.Basis);
        Assert.Equal("shanxi-2017#9", register.B!.Basis);
        Assert.Equal("山西省流动人口服务管理办法 第9条", diff.Citations[register.B.Basis]);
        Assert.Contains(diff.Differences, d => d.Kind == DifferenceKind.Removed && d.B is null);
        Assert.Contains(diff.Differences, d => d.Kind == DifferenceKind.Added && d.A is null);
    }

    [Fact]
    public void UnknownIds_AreNull()
    {
        Assert.Null(PolicyBrowser.Default.Show("nowhere-1999"));
        Assert.Null(PolicyBrowser.Default.Diff("shanxi-2013", "nowhere-1999"));
    }

    [Theory]
    [InlineData("xinjiang-2011#18", "第18项")]
    [InlineData("taizhou-2016#2.2.2", " 2.2.2")]
    [InlineData("shanxi-2017", "山西省流动人口服务管理办法")]
    public void Cite_FollowsTheDocumentsNumbering(string basis, string expected) =>
        Assert.EndsWith(expected, PolicyBrowser.Default.Cite(basis), StringComparison.Ordinal);
}
