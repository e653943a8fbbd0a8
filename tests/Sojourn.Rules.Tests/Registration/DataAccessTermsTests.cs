using System.Text;
using Sojourn.Rules.Loading;
using Sojourn.Rules.Registration;
using Sojourn.Rules.Tests.Policies;

namespace Sojourn.Rules.Tests.Registration;

/// <summary>
/// The basis of an official's stated purpose and of each department's view, per jurisdiction and day, from the
/// policy files' <c>dataAccess:</c> (not one province's articles shown everywhere).
/// </summary>
public sealed class DataAccessTermsTests
{
    private static DataAccessTerms Terms(string division, string on) =>
        DataAccessTerms.For(division, DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture))
        ?? throw new Xunit.Sdk.XunitException($"no policy for {division} on {on}");

    [Theory]
    // 山西 (太原, 大同 after 2017): 山西2017 第二十三条 beside the national 第十七条.
    [InlineData("140105", "2026-06-01", "shanxi-2017#23,cn-2016#17", "shanxi-2017")]
    [InlineData("140202", "2026-06-01", "shanxi-2017#23,cn-2016#17", "shanxi-2017")]
    // 大同 while its 2014 measures were in force: 大同 第二十六条 and the national one; 山西2013 第二十五条 beneath.
    [InlineData("140202", "2016-06-01", "datong-2014#26,shanxi-2013#25,cn-2016#17", "datong-2014")]
    // 山东, 济南, 浙江, 台州, 宁夏: the local text is silent; the national article binds.
    [InlineData("370202", "2026-06-01", "cn-2016#17", "shandong-2017")]
    [InlineData("370102", "2026-06-01", "cn-2016#17", "jinan-2023")]
    [InlineData("331002", "2026-06-01", "cn-2016#17", "taizhou-2016")]
    [InlineData("330106", "2026-06-01", "cn-2016#17", "zhejiang-2016")]
    [InlineData("640104", "2026-06-01", "cn-2016#17", "ningxia-2013")]
    // 新疆: item 27(4) (leaking privacy is sanctioned) beside the national article.
    [InlineData("650102", "2026-06-01", "xinjiang-2011#27,cn-2016#17", "xinjiang-2011")]
    // Elsewhere (北京): the national article alone.
    [InlineData("110105", "2026-06-01", "cn-2016#17", null)]
    public void Confidentiality_PerJurisdiction_LocalArticleOrSilent(string division, string on, string bases, string? head)
    {
        var t = Terms(division, on);

        Assert.Equal("《中华人民共和国个人信息保护法》第六条", t.PurposeLimitation);
        Assert.Equal(bases, string.Join(',', t.Confidentiality));
        Assert.DoesNotContain(t.Confidentiality, b => b.StartsWith("shanxi", StringComparison.Ordinal) && !division.StartsWith("14", StringComparison.Ordinal));
        if (head is not null)
        {
            Assert.Equal(head, t.Policies[0]);
        }
    }

    [Theory]
    [InlineData("370102", "2026-06-01", "jinan-2023,shandong-2017")]
    [InlineData("331002", "2026-06-01", "taizhou-2016,zhejiang-2016")]
    [InlineData("640104", "2026-06-01", "ningxia-2013")]
    [InlineData("140105", "2026-06-01", "")]
    public void Confidentiality_SilentLocalText_SaysSo(string division, string on, string silent) =>
        Assert.Equal(silent, string.Join(',', Terms(division, on).SilentOnConfidentiality));

    [Fact]
    public void Purpose_BeforePersonalInformationLaw_NoLayerNamesIt()
    {
        // 新疆 in 2015: no layer in force names a purpose-limitation law; the measures' item 27 still binds.
        var t = Terms("650102", "2015-06-01");

        Assert.Null(t.PurposeLimitation);
        Assert.Equal(["xinjiang-2011#27"], t.Confidentiality);
    }

    [Theory]
    [InlineData("140105", "2026-06-01", "health", "shanxi-2017#6,shanxi-2017#21,shanxi-2017#27,cn-2016#5,cn-2016#7,cn-2016#12")]
    [InlineData("140202", "2016-06-01", "education", "datong-2014#29,datong-2014#33,shanxi-2013#5,shanxi-2013#31,cn-2016#5,cn-2016#7,cn-2016#12")]
    [InlineData("370202", "2026-06-01", "justice", "shandong-2017#6,cn-2016#5,cn-2016#7,cn-2016#12")]
    [InlineData("331002", "2026-06-01", "housing", "cn-2016#5,cn-2016#7")]
    [InlineData("640104", "2026-06-01", "justice", "ningxia-2013#33,cn-2016#5,cn-2016#7,cn-2016#12")]
    [InlineData("650102", "2026-06-01", "civil-affairs", "xinjiang-2011#5,xinjiang-2011#11,cn-2016#5,cn-2016#7")]
    public void Department_PerJurisdiction_ArticlesOfEveryLayer(string division, string on, string department, string bases)
    {
        var d = Terms(division, on).Departments[department];

        Assert.Equal(bases, d.Basis);
        Assert.Equal(bases.Split(','), d.Value);
    }

    [Fact]
    public void Department_NoLayerNamesOne_SilentWithThePolicyId()
    {
        // 宁夏 before the national regulation: 第四条 does not name 司法行政, 第三十三条 does; nothing else is set.
        var t = Terms("640104", "2015-06-01");

        Assert.Equal("ningxia-2013#33", t.Departments["justice"].Basis);
        Assert.Equal("ningxia-2013#4,ningxia-2013#31", t.Departments["civil-affairs"].Basis);
    }

    private const string Valid = TestPolicy.Header + """
        dataAccess:
          confidentiality: { article: "23" }
          departments:
            health: { articles: ["6", "21"] }
            housing: { silent: true }
        """;

    private static PolicyDocument Load(string yaml) =>
        PolicyLoader.LoadAll([("cn-2016.yaml", TestCatalog.File("cn-2016")), ("test-2020.yaml", Encoding.UTF8.GetBytes(yaml))])[1];

    [Fact]
    public void Load_Valid_ReadsEveryKey()
    {
        var a = Load(Valid).DataAccess;

        Assert.Equal("23", a.Confidentiality!.Article);
        Assert.Equal(["6", "21"], a.Departments["health"].Articles);
        Assert.True(a.Departments["housing"].Silent);
    }

    [Theory]
    [InlineData("health: { articles: [\"6\", \"21\"] }", "police: { articles: [\"6\"] }", "dataAccess.departments.police")]
    [InlineData("housing: { silent: true }", "housing: { }", "dataAccess.departments.housing.articles")]
    [InlineData("housing: { silent: true }", "housing: { silent: true, articles: [\"3\"] }", "dataAccess.departments.housing.articles")]
    [InlineData("confidentiality: { article: \"23\" }", "confidentiality: { }", "dataAccess.confidentiality.article")]
    [InlineData("confidentiality: { article: \"23\" }", "confidentiality: { article: \"23\" }\n  purposeLimitation: { }", "dataAccess.purposeLimitation.law")]
    public void Load_BadDataAccess_FailsWithKey(string from, string to, string key)
    {
        Assert.Contains(from, Valid, StringComparison.Ordinal);
        var e = Assert.Throws<PolicyLoadException>(() => Load(Valid.Replace(from, to, StringComparison.Ordinal)));
        Assert.Equal(key, e.Key);
    }
}
