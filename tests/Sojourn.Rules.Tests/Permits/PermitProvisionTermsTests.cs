using Sojourn.Rules.Permits;

namespace Sojourn.Rules.Tests.Permits;

/// <summary>
/// The permit provisions moved into or added to the policies (confiscation grounds, one person one permit,
/// handing back the old card, the issuing organ), per jurisdiction and day, each with the article that says it.
/// </summary>
public sealed class PermitProvisionTermsTests
{
    private static PermitTerms Terms(string division, string on) =>
        PermitLifecycle.Default.Terms(division, DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture))
        ?? throw new Xunit.Sdk.XunitException($"no terms for {division} on {on}");

    private static string? Ground(PermitTerms t, string id) => t.ConfiscationGrounds.FirstOrDefault(g => g.Value == id)?.Basis;

    [Fact]
    public void Confiscation_Shanxi2013Before2016_OnlyFraudUnderItsOwnArticle()
    {
        var t = Terms("140105", "2015-06-01");
        Assert.Equal("shanxi-2013#40", Ground(t, "obtained-by-fraud"));
        Assert.Null(Ground(t, "forged-or-altered"));
    }

    [Fact]
    public void Confiscation_Shanxi2013In2016_ForgedFromTheRegulation()
    {
        var t = Terms("140105", "2016-06-01");
        Assert.Equal("shanxi-2013#40", Ground(t, "obtained-by-fraud"));
        Assert.Equal("cn-2016#19", Ground(t, "forged-or-altered"));
    }

    [Fact]
    public void Confiscation_Datong2014_Article53()
    {
        var t = Terms("140202", "2015-06-01");
        Assert.Equal("datong-2014#53", Ground(t, "obtained-by-fraud"));
        Assert.Equal("datong-2014#53", Ground(t, "forged-or-altered"));
    }

    [Theory]
    [InlineData("140105", "2026-05-01")]
    [InlineData("370202", "2026-05-01")]
    [InlineData("331002", "2026-05-01")]
    public void Confiscation_After2016_RegulationArticle19(string division, string on)
    {
        var t = Terms(division, on);
        Assert.Equal("cn-2016#19", Ground(t, "obtained-by-fraud"));
        Assert.Equal("cn-2016#19", Ground(t, "forged-or-altered"));
    }

    [Theory]
    [InlineData("140105", "2026-05-01", "shanxi-2017#17")]
    [InlineData("140105", "2015-06-01", "shanxi-2013#17")]
    [InlineData("140202", "2015-06-01", "datong-2014#19")]
    [InlineData("370202", "2026-05-01", "shandong-2017#9")]
    [InlineData("370102", "2026-05-01", "shandong-2017#9")]
    [InlineData("331002", "2026-05-01", "cn-2016")]
    public void OnePermitPerPerson_CitesTheJurisdictionsArticleOrSilent(string division, string on, string basis)
    {
        var t = Terms(division, on);
        Assert.True(t.OnePermitPerPerson.Value);
        Assert.Equal(basis, t.OnePermitPerPerson.Basis);
    }

    [Theory]
    [InlineData("140105", "2015-06-01", false, "shanxi-2013")]
    [InlineData("140202", "2015-06-01", false, "shanxi-2013")]
    [InlineData("140105", "2016-06-01", true, "cn-2016#11")]
    [InlineData("140105", "2026-05-01", true, "cn-2016#11")]
    [InlineData("331002", "2026-05-01", true, "cn-2016#11")]
    public void ReplacementReturnsOldCard_SilentLocalYieldsToTheRegulation(string division, string on, bool value, string basis)
    {
        var t = Terms(division, on);
        Assert.Equal(value, t.ReplacementReturnsOldCard.Value);
        Assert.Equal(basis, t.ReplacementReturnsOldCard.Basis);
    }

    [Theory]
    [InlineData("140105", "2015-06-01", "county-public-security-bureau", "shanxi-2013#18")]
    [InlineData("140202", "2016-06-01", "county-public-security-bureau", "datong-2014#20")]
    [InlineData("140105", "2026-05-01", "public-security-organ", "cn-2016#8")]
    [InlineData("370202", "2026-05-01", "public-security-organ", "cn-2016#8")]
    public void IssuedBy_CountyBureauWhereTheTextSaysSo(string division, string on, string value, string basis)
    {
        var t = Terms(division, on);
        Assert.Equal(value, t.IssuedBy.Value);
        Assert.Equal(basis, t.IssuedBy.Basis);
    }
    [Theory]
    [InlineData("140105", "2026-05-01", "shanxi-2017#11", false)]
    [InlineData("140105", "2015-05-01", "shanxi-2013#9", true)]
    [InlineData("140202", "2015-05-01", "datong-2014#10", true)]
    [InlineData("370202", "2026-05-01", "cn-2016", false)]
    [InlineData("650102", "2015-05-01", "xinjiang-2011", false)]
    [InlineData("650102", "2026-05-01", "xinjiang-2011", false)]
    public void Registration_ContentsAndChildAgePerJurisdiction(string division, string on, string basis, bool issuerAndDate)
    {
        var t = Sojourn.Rules.Registration.RegistrationTerms.For(division, DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture))!;
        Assert.Equal(16, t.AccompanyingChildBelowAge.Value);
        Assert.Equal(basis, t.AccompanyingChildBelowAge.Basis);
        Assert.Equal(basis, t.Contents.Basis);
        Assert.Contains("accompanying-children", t.Contents.Value);
        Assert.Equal(issuerAndDate, t.Contents.Value.Contains("issuer-and-date"));
    }
    [Theory]
    [InlineData("331002", "2026-05-01", true, "taizhou-2016#2.3.2")]
    [InlineData("140105", "2026-05-01", false, "cn-2016")]
    [InlineData("140105", "2015-05-01", false, "shanxi-2013")]
    public void EndorsementRequires_WhereThePolicySaysSo(string division, string on, bool required, string basis)
    {
        var t = Terms(division, on);
        Assert.Equal(new Sojourn.Rules.Loading.EndorsementRequirement(required, required), t.EndorsementRequires.Value);
        Assert.Equal(basis, t.EndorsementRequires.Basis);
    }
}
