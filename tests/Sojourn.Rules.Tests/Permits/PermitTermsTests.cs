using Sojourn.Rules.Periods;
using Sojourn.Rules.Permits;

namespace Sojourn.Rules.Tests.Permits;

/// <summary>Each lifecycle term's value and basis, per policy chain, as the policy files encode them.</summary>
public sealed class PermitTermsTests
{
    private static readonly Period Days10 = new(10, PeriodUnit.Days);
    private static readonly Period Days30 = new(30, PeriodUnit.Days);

    private static PermitTerms Terms(string division, string on, string? policy = null) =>
        PermitLifecycle.Default.Terms(division, DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture), policy)
        ?? throw new Xunit.Sdk.XunitException($"no terms for {division} on {on}");

    private static void Is<T>(Cited<T> c, T value, string basis)
    {
        Assert.Equal(value, c.Value);
        Assert.Equal(basis, c.Basis);
    }

    private static void IsPeriod(Cited<Period>? c, Period? value, string? basis)
    {
        Assert.Equal(value, c?.Value);
        Assert.Equal(basis, c?.Basis);
    }

    private static void Fees(PermitTerms t, params (string Id, int? Yuan, string Basis)[] expected)
    {
        Assert.Equal(expected.Select(e => e.Id).Order(StringComparer.Ordinal), t.Fees.Keys.Where(k => k != "residence-registration").Order(StringComparer.Ordinal));
        foreach (var (id, yuan, basis) in expected)
        {
            Is(t.Fees[id], yuan, basis);
        }
    }

    [Fact]
    public void Terms_Shanxi2017_ValuesAndBasis()
    {
        var t = Terms("140105", "2026-05-01");
        Assert.Equal("shanxi-2017", t.PolicyId);
        Assert.Equal(["shanxi-2017", "cn-2016"], t.Policies);
        Assert.Equal("140105", t.ResidenceDivision);
        IsPeriod(t.IssueWithin, new Period(15, PeriodUnit.Days), "shanxi-2017#17");
        IsPeriod(t.IssueWithinRemote, new Period(20, PeriodUnit.Days), "shanxi-2017#17");
        IsPeriod(t.Validity, new Period(5, PeriodUnit.Years), "shanxi-2017#17");
        IsPeriod(t.EndorseEvery, new Period(1, PeriodUnit.Years), "cn-2016#10");
        IsPeriod(t.EndorseWindow, new Period(1, PeriodUnit.Months), "cn-2016#10");
        Is(t.MissedEndorsement, LapseEffect.Suspended, "cn-2016#10");
        Is(t.LateEndorsement, LateEndorsementYears.FromLateEndorsement, "cn-2016#10");
        IsPeriod(t.ChangeWithin, Days10, "shanxi-2017#18");
        Is(t.CrossStationClosesOldRegistration, false, "shanxi-2017"); // 第十八條 is silent on the old registration
        IsPeriod(t.CancelBeforeLeaving, Days10, "shanxi-2017#18");
        IsPeriod(t.CancelAfterSettling, Days10, "shanxi-2017#18");
        Assert.Equal(["close-relative", "landlord", "employer"], t.DeathReportedBy.Value);
        Assert.Equal("shanxi-2017#18", t.DeathReportedBy.Basis);
        IsPeriod(t.ReturnException, Days30, "shanxi-2017#18");
        Assert.Null(t.RenewWithin);
        Assert.Null(t.RenewBy);

        // 第二十一条 is silent on 到期换领: free, cited to the regulation alone.
        Fees(t, ("first-issue", 0, "cn-2016#21"), ("renewal", 0, "cn-2016"), ("replacement", null, "cn-2016#21"),
            ("reissue", null, "cn-2016#21"), ("endorsement", 0, "cn-2016#21"));
        Is(t.ProxyUnderAge!, 16, "cn-2016#9");
        Assert.Equal(["guardian", "close-relative"], t.ProxyRelations.Value);
        Assert.Equal(["minor", "elderly-limited-mobility", "disabled-limited-mobility"], t.ProxyGrounds.Value);
        Assert.Equal("cn-2016#9", t.ProxyGrounds.Basis);
        Assert.Equal(["identity-card", "photo", "residence-address-proof", "employment-or-study-proof"], t.Materials.Select(m => m.Value));
        Assert.All(t.Materials, m => Assert.Equal("cn-2016#9", m.Basis));
        Assert.Equal("本人居民身份证", t.Materials[0].Note);
        Is(t.EarlierPermitsStayValid, true, "shanxi-2017#39");
    }

    [Fact]
    public void Terms_Shanxi2013BeforeTheNationalRegulation_StandsAlone()
    {
        var t = Terms("140105", "2014-06-01");
        Assert.Equal(["shanxi-2013"], t.Policies);
        IsPeriod(t.IssueWithin, Days10, "shanxi-2013#17");
        IsPeriod(t.IssueWithinRemote, new Period(15, PeriodUnit.Days), "shanxi-2013#17");
        IsPeriod(t.Validity, new Period(5, PeriodUnit.Years), "shanxi-2013#17");
        IsPeriod(t.EndorseEvery, new Period(1, PeriodUnit.Years), "shanxi-2013#18");
        IsPeriod(t.EndorseWindow, Days30, "shanxi-2013#18");
        Is(t.MissedEndorsement, LapseEffect.Void, "shanxi-2013#18");
        Is(t.LateEndorsement, LateEndorsementYears.Continuous, "shanxi-2013#18");
        IsPeriod(t.ChangeWithin, Days10, "shanxi-2013#19");
        Is(t.CrossStationClosesOldRegistration, true, "shanxi-2013#19");
        IsPeriod(t.CancelBeforeLeaving, Days10, "shanxi-2013#19");
        Assert.Null(t.CancelAfterSettling);
        Assert.Equal(["close-relative", "landlord", "employer"], t.DeathReportedBy.Value);
        IsPeriod(t.ReturnException, Days30, "shanxi-2013#19");

        // 第二十條 有效期滿30日前 is a deadline, not a window.
        Assert.Null(t.RenewWithin);
        IsPeriod(t.RenewBy, Days30, "shanxi-2013#20");

        // 第四十五條 says nothing of 簽注: free, cited to the measures alone.
        Fees(t, ("first-issue", 0, "shanxi-2013#45"), ("renewal", 0, "shanxi-2013#45"), ("replacement", null, "shanxi-2013#45"),
            ("reissue", null, "shanxi-2013#45"), ("endorsement", 0, "shanxi-2013"));

        // 第十六條 未滿16周歲的公民應隨其監護人登記，不領取居住證: no proxy application at all.
        Assert.Null(t.ProxyUnderAge);
        Assert.Empty(t.ProxyRelations.Value);
        Assert.Equal("shanxi-2013#16", t.ProxyRelations.Basis);
        Assert.Empty(t.ProxyGrounds.Value);
        Assert.Equal(["identity-document", "photo", "lodging-proof"], t.Materials.Select(m => m.Value));
        Assert.All(t.Materials, m => Assert.Equal("shanxi-2013#17", m.Basis));
        Is(t.EarlierPermitsStayValid, true, "shanxi-2013#46");
    }

    [Fact]
    public void Terms_Shanxi2013In2016_LayersOverTheNationalRegulation()
    {
        var t = Terms("140105", "2016-06-01");
        Assert.Equal(["shanxi-2013", "cn-2016"], t.Policies);
        Is(t.MissedEndorsement, LapseEffect.Void, "shanxi-2013#18");
        Assert.Empty(t.ProxyRelations.Value);
        Assert.Empty(t.ProxyGrounds.Value);
        Assert.Null(t.CancelAfterSettling);
    }

    [Fact]
    public void Terms_Datong2014_RestatesWithItsOwnArticles()
    {
        var t = Terms("140202", "2015-06-01");
        Assert.Equal(["datong-2014", "shanxi-2013"], t.Policies);
        IsPeriod(t.IssueWithin, Days10, "datong-2014#18");
        Is(t.MissedEndorsement, LapseEffect.Void, "datong-2014#20");
        Is(t.LateEndorsement, LateEndorsementYears.Continuous, "datong-2014#20");
        Is(t.CrossStationClosesOldRegistration, true, "datong-2014#21");
        Assert.Null(t.RenewWithin);
        IsPeriod(t.RenewBy, Days30, "datong-2014#22");
        Is(t.Fees["reissue"], null, "datong-2014#58");
        Is(t.Fees["endorsement"], 0, "datong-2014");
        Assert.Null(t.ProxyUnderAge);
        Assert.Empty(t.ProxyRelations.Value);
        Assert.Equal("datong-2014#17", t.ProxyGrounds.Basis);
        Is(t.EarlierPermitsStayValid, true, "datong-2014#59");
    }

    [Fact]
    public void Terms_Shandong2017_InheritsTheNationalLifecycle()
    {
        var t = Terms("370202", "2026-05-01");
        Assert.Equal(["shandong-2017", "cn-2016"], t.Policies);
        IsPeriod(t.IssueWithin, new Period(15, PeriodUnit.Days), "cn-2016#9");
        Assert.Null(t.IssueWithinRemote);
        Assert.Null(t.Validity);
        IsPeriod(t.EndorseWindow, new Period(1, PeriodUnit.Months), "cn-2016#10");
        Is(t.MissedEndorsement, LapseEffect.Suspended, "cn-2016#10");
        Assert.Null(t.ChangeWithin);
        Is(t.CrossStationClosesOldRegistration, false, "cn-2016");
        Assert.Null(t.CancelBeforeLeaving);
        Assert.Null(t.ReturnException);
        Assert.Null(t.RenewWithin);
        Assert.Empty(t.DeathReportedBy.Value);
        Fees(t, ("first-issue", 0, "shandong-2017#6"), ("renewal", 0, "cn-2016"), ("replacement", null, "cn-2016#21"),
            ("reissue", null, "cn-2016#21"), ("endorsement", 0, "cn-2016#21"));
        Is(t.Fees["residence-registration"], 0, "shandong-2017#6");
        Is(t.ProxyUnderAge!, 16, "cn-2016#9");
        Is(t.EarlierPermitsStayValid, false, "cn-2016");
    }

    [Fact]
    public void Terms_Taizhou2016_ResolvesCityOverProvinceOverNation()
    {
        var t = Terms("331002", "2026-05-01");
        Assert.Equal(["taizhou-2016", "zhejiang-2016", "cn-2016"], t.Policies);
        IsPeriod(t.IssueWithin, new Period(15, PeriodUnit.Days), "cn-2016#9");
        IsPeriod(t.EndorseEvery, new Period(1, PeriodUnit.Years), "cn-2016#10");
        IsPeriod(t.ChangeWithin, Days10, "taizhou-2016#2.3.3");
        Is(t.CrossStationClosesOldRegistration, false, "taizhou-2016"); // 二(三)3 is silent on the old registration
        Assert.Null(t.Validity);
        Assert.Null(t.CancelBeforeLeaving);
        Fees(t, ("first-issue", 0, "cn-2016#21"), ("renewal", 0, "cn-2016"), ("replacement", null, "cn-2016#21"),
            ("reissue", null, "cn-2016#21"), ("endorsement", 0, "cn-2016#21"));
        Assert.Equal(["guardian", "close-relative"], t.ProxyRelations.Value);
    }

    [Fact]
    public void Terms_Cn2016_Baseline()
    {
        var t = Terms("110105", "2026-05-01");
        Assert.Equal(["cn-2016"], t.Policies);
        IsPeriod(t.IssueWithin, new Period(15, PeriodUnit.Days), "cn-2016#9");
        Assert.Null(t.IssueWithinRemote);
        Assert.Null(t.Validity);
        IsPeriod(t.EndorseEvery, new Period(1, PeriodUnit.Years), "cn-2016#10");
        IsPeriod(t.EndorseWindow, new Period(1, PeriodUnit.Months), "cn-2016#10");
        Is(t.MissedEndorsement, LapseEffect.Suspended, "cn-2016#10");
        Is(t.LateEndorsement, LateEndorsementYears.FromLateEndorsement, "cn-2016#10");
        Assert.Null(t.ChangeWithin);
        Assert.Null(t.CancelAfterSettling);
        Assert.Null(t.ReturnException);
        Assert.Null(t.RenewWithin);
        Is(t.ProxyUnderAge!, 16, "cn-2016#9");
        Assert.Equal("cn-2016#9", t.ProxyRelations.Basis);
        Assert.Equal(4, t.Materials.Count);
        Is(t.EarlierPermitsStayValid, false, "cn-2016");
    }

    [Fact]
    public void Terms_NamedPolicy_OverridesTheDivision()
    {
        var t = Terms("110105", "2026-05-01", "shanxi-2017");
        Assert.Equal(["shanxi-2017", "cn-2016"], t.Policies);
    }

    [Theory]
    [InlineData("640104", "2014-01-01")] // 宁夏 2013: 第七条 executes national rules, none in force yet
    [InlineData("650102", "2012-01-01")] // 新疆 2011: no issuance period before cn-2016
    [InlineData("110105", "2015-06-01")] // no policy at all
    public void Terms_NoPermitRegime_IsNull(string division, string on) =>
        Assert.Null(PermitLifecycle.Default.Terms(division, DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Terms_Xinjiang2011After2016_ChangeInWorkingDays()
    {
        var t = Terms("650102", "2026-05-01");
        Assert.Equal(["xinjiang-2011", "xinjiang-fp-2008", "cn-2016"], t.Policies);
        IsPeriod(t.ChangeWithin, new Period(3, PeriodUnit.WorkingDays), "xinjiang-2011#18");
        IsPeriod(t.IssueWithin, new Period(15, PeriodUnit.Days), "cn-2016#9");
    }

    [Fact]
    public void Terms_EveryPolicyOnEveryBoundary_ResolvesOrIsNull()
    {
        // A chain that issues permits must answer every required term (no gap in the files).
        var catalog = Evaluation.PolicyCatalog.Default;
        var days = catalog.Policies.SelectMany(p => new[] { p.InForceFrom, p.InForceUntil ?? new DateOnly(2026, 5, 1) })
            .Append(new DateOnly(2016, 1, 1)).Distinct().ToList();
        var answered = 0;
        foreach (var p in catalog.Policies)
        {
            foreach (var day in days.Where(p.InForceOn))
            {
                var division = p.Nationwide ? "110105" : p.Territory[0].PadRight(6, '0');
                if (PermitLifecycle.Default.Terms(division, day, p.Id) is { } t)
                {
                    answered++;
                    Assert.Equal(p.Id, t.PolicyId);
                    Assert.NotEmpty(t.Materials);
                    // Every fee cites an article of a policy in the chain, or (silent: true) the policy alone.
                    Assert.All(t.Fees.Values, f => Assert.Contains(f.Basis.Split('#')[0], t.Policies));
                }
            }
        }

        Assert.True(answered >= catalog.Policies.Count);
    }

    [Fact]
    public void Terms_EngineStamp_MatchesTheEvaluation()
    {
        var t = Terms("140105", "2026-05-01");
        var chain = Evaluation.PolicyCatalog.Default.Resolve(null, "140105", new DateOnly(2026, 5, 1))!;
        Assert.Equal(Evaluation.Evaluator.Version, t.EngineVersion);
        Assert.Equal(chain.Hashes.OrderBy(h => h.Key, StringComparer.Ordinal), t.PolicyHashes.OrderBy(h => h.Key, StringComparer.Ordinal));
        Assert.All(t.PolicyHashes.Values, h => Assert.StartsWith("sha256:", h, StringComparison.Ordinal));
    }
}

/// <summary><c>policy show</c> rows carry the lifecycle keys with their basis.</summary>
public sealed class LifecycleRowsTests
{
    [Fact]
    public void Rows_Shanxi2017_ShowLifecycleWithBasis()
    {
        var rows = Evaluation.PolicyTable.Rows(Evaluation.PolicyCatalog.Default.Compile("shanxi-2017")).ToDictionary(r => r.Key);
        Assert.Equal(("离开前10日内", "shanxi-2017#18"), (rows["lifecycle.cancelBeforeLeaving"].Value, rows["lifecycle.cancelBeforeLeaving"].Basis));
        Assert.Equal(("近亲属、房屋出租人、用人单位", "shanxi-2017#18"), (rows["lifecycle.deathReportedBy"].Value, rows["lifecycle.deathReportedBy"].Basis));
        Assert.Equal(("监护人、近亲属", "cn-2016#9"), (rows["lifecycle.proxyRelations"].Value, rows["lifecycle.proxyRelations"].Basis));
        Assert.Equal("cn-2016#21", rows["permit.fees.reissue"].Basis);
        Assert.EndsWith("补办后居住年限自补办之日起计算", rows["duties.person.endorse-permit"].Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_Shanxi2013_EndorsementCountsYearsContinuously() =>
        Assert.EndsWith("居住证废止；补办后居住年限连续计算",
            Evaluation.PolicyTable.Rows(Evaluation.PolicyCatalog.Default.Compile("shanxi-2013")).Single(r => r.Key == "duties.person.endorse-permit").Value,
            StringComparison.Ordinal);
}
