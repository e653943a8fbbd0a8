using System.Text;
using Sojourn.Rules.Loading;
using Sojourn.Rules.Tests.Policies;

namespace Sojourn.Rules.Tests.Loading;

/// <summary>The keys added for the national floor and the permit provisions fail at load when missing or misspelt.</summary>
public sealed class FloorAndProvisionLoaderTests
{
    private const string Base = TestPolicy.Header;

    private static PolicyLoadException Fails(string yaml) =>
        Assert.Throws<PolicyLoadException>(() => PolicyLoader.LoadAll(
            [("cn-2016.yaml", TestCatalog.File("cn-2016")), ("test-2020.yaml", Encoding.UTF8.GetBytes(Base + yaml))]));

    [Fact]
    public void Load_FloorWithoutItsConditions_Fails()
    {
        var e = Fails("""
            permit:
              floor: { article: "2" }
            """);
        Assert.Equal("permit.floor", e.Key);
    }

    [Fact]
    public void Load_FloorWithoutArticle_Fails()
    {
        var e = Fails("""
            permit:
              residence: { period: { amount: 6, unit: months }, article: "2" }
              anyOf: { conditions: [], article: "2" }
              floor: { note: x }
            """);
        Assert.Equal("permit.floor.article", e.Key);
    }

    [Fact]
    public void Load_FloorMisspeltKey_Fails()
    {
        var e = Fails("""
            permit:
              residence: { period: { amount: 6, unit: months }, article: "2" }
              anyOf: { conditions: [], article: "2" }
              floor: { article: "2", over: earlier }
            """);
        Assert.Equal("permit.floor.over", e.Key);
    }

    [Fact]
    public void LoadEmbedded_NationalRegulation_IsTheFloor() =>
        Assert.Equal("2", Sojourn.Rules.Evaluation.PolicyCatalog.Default.Find("cn-2016")!.Permit.Floor!.Article);
    [Theory]
    [InlineData("  confiscation:\n    - { id: obtained-by-fraudd, article: \"19\" }", "lifecycle.confiscation[0].id")]
    [InlineData("  confiscation:\n    - { id: obtained-by-fraud }", "lifecycle.confiscation[0].article")]
    [InlineData("  confiscation:\n    - { id: obtained-by-fraud, article: \"1\" }\n    - { id: obtained-by-fraud, article: \"2\" }", "lifecycle.confiscation")]
    [InlineData("  issuedBy: { value: county-bureau, article: \"18\" }", "lifecycle.issuedBy.value")]
    [InlineData("  onePermitPerPerson: { value: true }", "lifecycle.onePermitPerPerson.article")]
    [InlineData("  replacementReturnsOldCard: { vaule: true, article: \"11\" }", "lifecycle.replacementReturnsOldCard.value")]
    [InlineData("  refusalReasons: { value: true, article: \"17\", silent: true }", "lifecycle.refusalReasons.article")]
    [InlineData("  refusalRemedies: { items: [], silent: true }", "lifecycle.refusalRemedies.items")]
    [InlineData("  refusalRemedie: { items: [x], silent: true }", "lifecycle.refusalRemedie")]
    [InlineData("  endorsementRequires: { conditions: true, article: \"2.3.2\" }", "lifecycle.endorsementRequires.materials")]
    public void Load_ProvisionKeyMissingOrMisspelt_Fails(string lifecycle, string key)
    {
        var e = Fails("lifecycle:\n" + lifecycle + "\n");
        Assert.Equal(key, e.Key);
    }
}
