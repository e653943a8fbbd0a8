using System.Text;
using Sojourn.Rules.Loading;
using Sojourn.Rules.Tests.Policies;

namespace Sojourn.Rules.Tests.Loading;

/// <summary>A malformed policy fails at load with file, line and key.</summary>
public sealed class PolicyLoaderTests
{
    private const string Valid = TestPolicy.Header + """
        duties:
          person.register-residence:
            party: person
            from: stay.arrivedOn
            doneBy: facts.registeredOn
            period: { amount: 10, unit: days }
            article: "9"
        """;

    private static PolicyLoadException Fails(string yaml, string file = "test-2020.yaml") =>
        Assert.Throws<PolicyLoadException>(() => PolicyLoader.LoadAll(
            [("cn-2016.yaml", TestCatalog.File("cn-2016")), (file, Encoding.UTF8.GetBytes(yaml))]));

    [Fact]
    public void Load_ValidFile_Succeeds()
    {
        var docs = PolicyLoader.LoadAll([("cn-2016.yaml", TestCatalog.File("cn-2016")), ("test-2020.yaml", Encoding.UTF8.GetBytes(Valid))]);
        Assert.Equal(10, docs[1].Duties["person.register-residence"]!.Period!.Value.Amount);
    }

    [Fact]
    public void Load_UnknownKey_NamesFileLineAndKey()
    {
        var e = Fails(Valid.Replace("    article: \"9\"", "    article: \"9\"\n    perod: { amount: 3, unit: days }", StringComparison.Ordinal));
        Assert.Equal(("test-2020.yaml", 16L, "duties.person.register-residence.perod"), (e.File, e.Line, e.Key));
        Assert.StartsWith("test-2020.yaml:16: duties.person.register-residence.perod: 未知的键", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingArticle_NamesTheDuty()
    {
        var e = Fails(Valid.Replace("    article: \"9\"", "", StringComparison.Ordinal));
        Assert.Equal(("test-2020.yaml", "duties.person.register-residence.article"), (e.File, e.Key));
        Assert.Equal(11, e.Line);
        Assert.Contains("缺少条款", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PeriodWithoutUnit_NamesThePeriod()
    {
        var e = Fails(Valid.Replace("{ amount: 10, unit: days }", "{ amount: 10 }", StringComparison.Ordinal));
        Assert.Equal(("test-2020.yaml", 14L, "duties.person.register-residence.period.unit"), (e.File, e.Line, e.Key));
        Assert.Contains("期间缺少单位", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownPeriodUnit_NamesTheUnit()
    {
        var e = Fails(Valid.Replace("unit: days", "unit: weeks", StringComparison.Ordinal));
        Assert.Equal("duties.person.register-residence.period.unit", e.Key);
    }

    [Fact]
    public void Load_OverlappingInForceForOneTerritory_NamesBothFiles()
    {
        var other = Valid.Replace("test-2020", "test-2021", StringComparison.Ordinal).Replace("2020-01-01", "2021-06-01", StringComparison.Ordinal);
        var e = Assert.Throws<PolicyLoadException>(() => PolicyLoader.LoadAll([
            ("cn-2016.yaml", TestCatalog.File("cn-2016")),
            ("test-2020.yaml", Encoding.UTF8.GetBytes(Valid)),
            ("test-2021.yaml", Encoding.UTF8.GetBytes(other))]));
        Assert.Equal(("test-2021.yaml", "inForce"), (e.File, e.Key));
        Assert.Contains("test-2020.yaml", e.Message, StringComparison.Ordinal);
        Assert.Equal(7, e.Line);
    }

    [Fact]
    public void Load_ConsecutiveVersionsForOneTerritory_Succeed()
    {
        var older = Valid.Replace("test-2020", "test-2019", StringComparison.Ordinal)
            .Replace("{ from: 2020-01-01, until: null }", "{ from: 2019-01-01, until: 2019-12-31 }", StringComparison.Ordinal);
        var docs = PolicyLoader.LoadAll([
            ("cn-2016.yaml", TestCatalog.File("cn-2016")),
            ("test-2019.yaml", Encoding.UTF8.GetBytes(older)),
            ("test-2020.yaml", Encoding.UTF8.GetBytes(Valid))]);
        Assert.Equal(3, docs.Count);
    }

    [Fact]
    public void Load_IdDiffersFromFileName_Fails()
    {
        var e = Fails(Valid, "other-2020.yaml");
        Assert.Equal("id", e.Key);
    }

    [Fact]
    public void Load_UnknownParent_Fails()
    {
        var e = Fails(Valid.Replace("parent: cn-2016", "parent: cn-1999", StringComparison.Ordinal));
        Assert.Equal("parent", e.Key);
    }

    [Fact]
    public void Load_UnknownVocabulary_NamesTheKey()
    {
        var e = Fails(Valid + "\n    exemptions:\n      - lodging: [castle]\n        article: \"13\"\n");
        Assert.Equal("duties.person.register-residence.exemptions[0].lodging", e.Key);
    }

    [Fact]
    public void Load_SanctionWithoutFineKey_Fails()
    {
        var e = Fails(Valid + "\nsanctions:\n  - duties: [person.register-residence]\n    party: person\n    orderToCorrect: true\n    article: \"33\"\n");
        Assert.Equal("sanctions[0].fine", e.Key);
    }

    [Fact]
    public void Load_BrokenYaml_NamesFileAndLine()
    {
        var e = Fails(Valid + "\n  bad: [unclosed\n");
        Assert.Equal("test-2020.yaml", e.File);
        Assert.True(e.Line > 0);
    }

    [Fact]
    public void LoadEmbedded_AllPolicies_Load()
    {
        var docs = PolicyLoader.LoadEmbedded();
        Assert.Contains(docs, d => d.Id == "cn-2016");
        Assert.All(docs, d => Assert.StartsWith("sha256:", d.Hash, StringComparison.Ordinal));
    }
}
