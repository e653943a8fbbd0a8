using System.Text;
using Sojourn.Rules.Loading;
using Sojourn.Rules.Periods;
using Sojourn.Rules.Tests.Policies;

namespace Sojourn.Rules.Tests.Permits;

/// <summary>A bad lifecycle value fails at load with file:line: key: message.</summary>
public sealed class LifecycleLoaderTests
{
    private const string Valid = TestPolicy.Header + """
        permit:
          fees:
            - { id: reissue, yuan: 20, article: "30" }
        lifecycle:
          change: { period: { amount: 10, unit: days }, article: "18" }
          cancelAfterSettling: { period: null, article: "18" }
          deathReportedBy: { values: [close-relative, landlord], article: "18" }
          proxyUnderAge: { value: 16, article: "9" }
          crossStationClosesOld: { value: false, silent: true }
          materials:
            article: "17"
            items:
              - { id: identity-card, label: 居民身份证 }
        """;

    private static PolicyDocument Load(string yaml) =>
        PolicyLoader.LoadAll([("cn-2016.yaml", TestCatalog.File("cn-2016")), ("test-2020.yaml", Encoding.UTF8.GetBytes(yaml))])[1];

    private static PolicyLoadException Fails(string from, string to)
    {
        Assert.Contains(from, Valid, StringComparison.Ordinal);
        return Assert.Throws<PolicyLoadException>(() => Load(Valid.Replace(from, to, StringComparison.Ordinal)));
    }

    [Fact]
    public void Load_ValidLifecycle_ReadsEveryKey()
    {
        var l = Load(Valid).Lifecycle;
        Assert.Equal(new Period(10, PeriodUnit.Days), l.ChangeWithin!.Value);
        Assert.Equal("18", l.ChangeWithin.Article);
        Assert.NotNull(l.CancelAfterSettling);
        Assert.Null(l.CancelAfterSettling.Value);
        Assert.Equal(["close-relative", "landlord"], l.DeathReportedBy!.Value);
        Assert.Null(l.CrossStationClosesOld!.Article);
        Assert.Equal("居民身份证", l.Materials!.Value[0].Label);
        Assert.Null(l.ReturnException);
    }

    [Fact]
    public void Load_UnknownDeathReporter_NamesFileLineAndKey()
    {
        var e = Fails("[close-relative, landlord]", "[close-relative, neighbour]");
        Assert.Equal(("test-2020.yaml", 15L, "lifecycle.deathReportedBy.values"), (e.File, e.Line, e.Key));
        Assert.StartsWith("test-2020.yaml:15: lifecycle.deathReportedBy.values: 未知的取值 “neighbour”", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ChangePeriodInHours_Fails()
    {
        var e = Fails("change: { period: { amount: 10, unit: days }", "change: { period: { amount: 10, unit: hours }");
        Assert.Equal(("test-2020.yaml", 13L, "lifecycle.change.period"), (e.File, e.Line, e.Key));
    }

    [Fact]
    public void Load_PeriodKeyMissing_AsksForAnExplicitNull()
    {
        var e = Fails("cancelAfterSettling: { period: null, article: \"18\" }", "cancelAfterSettling: { article: \"18\" }");
        Assert.Equal(("test-2020.yaml", "lifecycle.cancelAfterSettling.period"), (e.File, e.Key));
        Assert.Contains("period: null", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NeitherArticleNorSilent_Fails()
    {
        var e = Fails("proxyUnderAge: { value: 16, article: \"9\" }", "proxyUnderAge: { value: 16 }");
        Assert.Equal(("test-2020.yaml", 16L, "lifecycle.proxyUnderAge.article"), (e.File, e.Line, e.Key));
        Assert.Contains("缺少条款", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SilentWithArticle_Fails()
    {
        var e = Fails("{ value: false, silent: true }", "{ value: false, silent: true, article: \"3\" }");
        Assert.Equal("lifecycle.crossStationClosesOld.article", e.Key);
    }

    [Fact]
    public void Load_ProxyAgeOutOfRange_Fails()
    {
        var e = Fails("{ value: 16, article: \"9\" }", "{ value: 0, article: \"9\" }");
        Assert.Equal(("test-2020.yaml", 16L, "lifecycle.proxyUnderAge.value"), (e.File, e.Line, e.Key));
    }

    [Fact]
    public void Load_BoolNotBool_Fails()
    {
        var e = Fails("{ value: false, silent: true }", "{ value: maybe, silent: true }");
        Assert.Equal("lifecycle.crossStationClosesOld.value", e.Key);
    }

    [Fact]
    public void Load_UnknownLifecycleKey_Fails()
    {
        var e = Fails("  change:", "  chnage:");
        Assert.Equal(("test-2020.yaml", 13L, "lifecycle.chnage"), (e.File, e.Line, e.Key));
    }

    [Fact]
    public void Load_MaterialIdNotKebab_Fails()
    {
        var e = Fails("id: identity-card", "id: IdentityCard");
        Assert.Equal(("test-2020.yaml", 21L, "lifecycle.materials.items[0].id"), (e.File, e.Line, e.Key));
    }

    [Fact]
    public void Load_UnknownFeeId_Fails()
    {
        var e = Fails("id: reissue", "id: reisue");
        Assert.Equal(("test-2020.yaml", 11L, "permit.fees[0].id"), (e.File, e.Line, e.Key));
    }

    [Fact]
    public void Load_NegativeFee_Fails()
    {
        var e = Fails("yuan: 20", "yuan: -5");
        Assert.Equal("permit.fees[0].yuan", e.Key);
    }

    [Fact]
    public void Load_FeeWithoutYuan_AsksForAnExplicitNull()
    {
        var e = Fails("{ id: reissue, yuan: 20, article: \"30\" }", "{ id: reissue, article: \"30\" }");
        Assert.Equal("permit.fees[0].yuan", e.Key);
    }

    [Fact]
    public void Load_EndorsementWithoutLateYears_Fails()
    {
        var yaml = Valid + """

            duties:
              person.endorse-permit:
                party: person
                from: permit.issuedOn
                doneBy: permit.endorsedOn
                every: { amount: 1, unit: years }
                window: { amount: 30, unit: days }
                lapse: void
                article: "18"
            """;
        var e = Assert.Throws<PolicyLoadException>(() => Load(yaml));
        Assert.Equal("duties.person.endorse-permit.lateYears", e.Key);
        var bad = Assert.Throws<PolicyLoadException>(() => Load(yaml.Replace("lapse: void", "lapse: void\n    lateYears: sometimes", StringComparison.Ordinal)));
        Assert.Equal("duties.person.endorse-permit.lateYears", bad.Key);
        Assert.Equal(LateYearsLine(yaml), bad.Line);
        Assert.Equal("continuous", Load(yaml.Replace("lapse: void", "lapse: void\n    lateYears: continuous", StringComparison.Ordinal)).Duties["person.endorse-permit"]!.LateYears);
    }

    private static long LateYearsLine(string yaml) => yaml.Split('\n').ToList().FindIndex(l => l.Contains("lapse: void", StringComparison.Ordinal)) + 2;

    [Fact]
    public void Load_RenewByAndProxyGrounds_ReadAsDeadlineAndGrounds()
    {
        var l = Load(Valid.Replace("  proxyUnderAge: { value: 16, article: \"9\" }\n",
            "  proxyUnderAge: { value: null, article: \"9\" }\n  renewBy: { period: { amount: 30, unit: days }, article: \"20\" }\n  proxyGrounds: { values: [elderly-limited-mobility], article: \"9\" }\n",
            StringComparison.Ordinal)).Lifecycle;
        Assert.Equal(new Period(30, PeriodUnit.Days), l.RenewBy!.Value);
        Assert.Null(l.RenewWithin);
        Assert.Null(l.ProxyUnderAge!.Value);
        Assert.Equal(["elderly-limited-mobility"], l.ProxyGrounds!.Value);
    }

    [Fact]
    public void Load_UnknownProxyGround_Fails()
    {
        var e = Fails("  proxyUnderAge: { value: 16, article: \"9\" }\n", "  proxyUnderAge: { value: 16, article: \"9\" }\n  proxyGrounds: { values: [pregnant], article: \"9\" }\n");
        Assert.Equal(("test-2020.yaml", 17L, "lifecycle.proxyGrounds.values"), (e.File, e.Line, e.Key));
    }

    [Fact]
    public void Load_SilentFee_CitesThePolicyAlone()
    {
        var d = Load(Valid.Replace("{ id: reissue, yuan: 20, article: \"30\" }", "{ id: reissue, yuan: 0, silent: true }", StringComparison.Ordinal));
        Assert.Null(d.Permit.Fees!.Single().Article);
    }

    [Fact]
    public void Load_FeeWithoutArticleOrSilent_Fails()
    {
        var e = Fails("{ id: reissue, yuan: 20, article: \"30\" }", "{ id: reissue, yuan: 20 }");
        Assert.Equal("permit.fees[0].article", e.Key);
    }
}
