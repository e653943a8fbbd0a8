using Sojourn.Data.Permits;
using Sojourn.Documents;
using Sojourn.Rules.Permits;
using Sojourn.Web.Permits;
using Sojourn.Web.Permits.EPermit;
using Sojourn.Web.Tests.Infrastructure;

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
    [Theory]
    [InlineData("140105", "2015-06-01", "《山西省流动人口服务管理办法》第十八条", "縣級人民政府公安機關")]
    [InlineData("140202", "2016-06-01", "《大同市流动人口服务管理办法》第二十条", "县(区)级人民政府公安机关")]
    [InlineData("140105", "2026-06-01", "《居住证暂行条例》第八条", "公安机关")]
    public void PermitFace_IssuingOrganWithThePolicysBasis(string division, string on, string article, string words)
    {
        var day = DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture);
        var face = PermitDocuments.PermitFace(new PermitFaceData("张三明", "男", "汉族", new DateOnly(1990, 1, 1), "1401**********0011",
            "太原市小店区测试路1号", "JZ-1", "太原市公安局小店分局", day, day, day.AddYears(5),
            AuthorityBasis: PermitDocumentEndpoints.IssuerBasis(Terms(division, day))));

        Assert.Contains(face.Fields, f => f.Label == "签发机关" && f.Value == "太原市公安局小店分局");
        var basis = Assert.Single(face.Basis);
        Assert.Equal(article, basis.Instrument + basis.Article);
        Assert.Contains(words, basis.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("140105", "2026-06-01", "《山西省流动人口服务管理办法》第十七条")]
    [InlineData("140202", "2015-06-01", "《大同市流动人口服务管理办法》第十八条")]
    public void RefusalNotice_ReasonsWithTheDutyToStateThemAndTheRemedies(string division, string on, string reasonsArticle)
    {
        var day = DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture);
        var permit = PermitSeed.InMemory(PermitStatus.Applied, division, appliedOn: day.AddDays(-3));
        permit.Refuse(day, "居住未满半年。", "cn-2016#2", new PermitStep(DateTime.UtcNow, day, "cn-2016#2"));

        var notice = PermitDocuments.RefusalNotice(PermitDocumentEndpoints.RefusalNotice(permit, Terms(division, day)));

        Assert.Contains(notice.Paragraphs, p => p.Contains("居住未满半年。", StringComparison.Ordinal));
        Assert.Contains(notice.Basis, b => b.Instrument + b.Article == "《居住证暂行条例》第二条");
        Assert.Contains(notice.Basis, b => b.Instrument + b.Article == reasonsArticle);
        Assert.Contains(notice.Notes, n => n.Contains("行政复议", StringComparison.Ordinal) && n.Contains("行政诉讼", StringComparison.Ordinal));
    }
}
