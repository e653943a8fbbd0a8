using Sojourn.Rules.Permits;
using Sojourn.Web.Permits;
using Sojourn.Web.Permits.EPermit;

namespace Sojourn.Web.Tests.Permits;

/// <summary>Messages built from a policy's term and article rather than from one jurisdiction's text.</summary>
public sealed class PolicyTextInMessagesTests
{
    private static PermitTerms Terms(string division, DateOnly on) =>
        PermitLifecycle.Default.Terms(division, on) ?? throw new Xunit.Sdk.XunitException($"no terms for {division}");

    [Theory]
    [InlineData("140105", "2015-06-01", "废止", "《山西省流动人口服务管理办法》第十八条")]
    [InlineData("140202", "2015-06-01", "废止", "《大同市流动人口服务管理办法》第二十条")]
    [InlineData("140105", "2026-06-01", "中止", "《居住证暂行条例》第十条")]
    [InlineData("370202", "2026-06-01", "中止", "《居住证暂行条例》第十条")]
    public void LapseMessage_PerJurisdiction_EffectAndArticleFromThePolicy(string division, string on, string effect, string article)
    {
        var day = DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture);
        var message = OnlineVerifier.LapseMessage(day, Terms(division, day).MissedEndorsement);

        Assert.Contains(effect, message, StringComparison.Ordinal);
        Assert.Contains(article, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cite_SilentBasis_NamesTheInstrumentOnly() =>
        Assert.Equal("《居住证暂行条例》", PermitStepKit.Cite("cn-2016"));
}
