using System.Globalization;
using Sojourn.Domain;

namespace Sojourn.Browser.Tests;

/// <summary>
/// The reporter portal on a phone (a landlord's move-in, on time under its article) and the public tip-off form (a tip
/// that reaches the leads of the station whose jurisdiction holds the address, contact hidden from the officer).
/// </summary>
public sealed class ReportingTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static DateTime ChinaNow => DateTime.UtcNow.AddHours(8);

    [SkippableFact]
    public async Task Reporter_ReportsAMoveInOnAPhone_SeesItOnTimeWithItsArticle()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(Reporter_ReportsAMoveInOnAPhone_SeesItOnTimeWithItsArticle);
        var page = await app.NewPageAsync(phone: true);
        await app.SignInAsync(page, "demo-reporter");
        await page.WaitForURLAsync("**/report");
        await page.Locator("[data-testid=report-form]").WaitForAsync();
        Assert.Equal("/report/batch", await page.GetAttributeAsync("[data-testid=batch-link]", "href"));
        await ChooseAsync(page, "establishment", "王房东");
        await page.Locator("[data-testid=roomId]").WaitForAsync();
        await BrowserApp.ShotAsync(page, test, "1-form");
        await Axe.AssertCleanAsync(page);

        // Submitting an empty form names each missing field in zh-CN and keeps what was typed.
        await page.FillAsync("[data-testid=name]", "赵租客");
        await page.ClickAsync("[data-testid=report-submit]");
        await page.WaitForSelectorAsync("[data-testid=fix-errors]");
        var errors = await page.InnerTextAsync("[data-testid=report-form]");
        Assert.Contains("请填写公民身份号码", errors, StringComparison.Ordinal);
        Assert.Contains("请填写发生时间", errors, StringComparison.Ordinal);
        Assert.Equal("赵租客", await page.InputValueAsync("[data-testid=name]"));

        var idNumber = NewIdNumber(new DateOnly(1992, 8, 3), Random.Shared.Next(100, 999));
        await page.FillAsync("[data-testid=occurredAt]", ChinaNow.AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await ChooseAsync(page, "roomId", "201室");
        await page.FillAsync("[data-testid=idNumber]", idNumber);
        await ChooseDivisionAsync(page, "hukouDivision", "长安区", "130102");
        await page.FillAsync("[data-testid=hukouAddress]", "河北省石家庄市长安区建设北大街12号");
        await page.FillAsync("[data-testid=intendedDays]", "180");
        await ChooseAsync(page, "purpose", "务工");
        await ChooseAsync(page, "education", "大学本科毕业");
        await ChooseAsync(page, "employment", "受雇就业");
        await ChooseAsync(page, "maritalStatus", "已婚");
        await page.ClickAsync("[data-testid=report-submit]");

        var saved = page.Locator("[data-testid=report-saved]");
        await saved.WaitForAsync();
        var text = await saved.InnerTextAsync();
        Assert.Contains("按期", text, StringComparison.Ordinal);
        Assert.Contains("第14条", text, StringComparison.Ordinal);
        var row = page.Locator("[data-testid=report-row][data-status=met]", new() { HasText = "赵租客" }).First;
        await row.WaitForAsync();
        var card = await row.InnerTextAsync();
        Assert.Contains("报送期限", card, StringComparison.Ordinal);
        Assert.Contains("《山西省流动人口服务管理办法》第14条", card, StringComparison.Ordinal);
        Assert.DoesNotContain(idNumber, card, StringComparison.Ordinal);
        // The form is empty again for the next person, without a wall of errors.
        Assert.DoesNotContain("请填写", await page.InnerTextAsync("[data-testid=report-form]"), StringComparison.Ordinal);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), "wider than the phone");
        await BrowserApp.ShotAsync(page, test, "2-reported");
        await Axe.AssertCleanAsync(page);
    }

    [SkippableFact]
    public async Task Anonymous_TipOff_AppearsOnTheStationsLeadsWithTheContactHidden()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(Anonymous_TipOff_AppearsOnTheStationsLeadsWithTheContactHidden);
        var description = "亲贤北街某楼三层群租，约六人，未见登记。" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        var page = await app.NewPageAsync(phone: true);
        await page.GotoAsync("/");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.ClickAsync("[data-testid=tip-off-link]");
        await page.WaitForURLAsync("**/tip-off");
        await BrowserApp.WaitForInteractiveAsync(page);
        Assert.Contains("0351-7000110", await page.InnerTextAsync("[data-testid=stations]"), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "1-form");
        await Axe.AssertCleanAsync(page);

        await ChooseAsync(page, "kind", "未登记的租住人员");
        await ChooseDivisionAsync(page, "divisionCode", "小店", "140105");
        await page.FillAsync("[data-testid=address]", "太原市小店区亲贤北街90号");
        await page.FillAsync("[data-testid=description]", description);
        await page.FillAsync("[data-testid=contact]", "13900002222");
        await page.ClickAsync("[data-testid=tip-off-submit]");
        var received = page.Locator("[data-testid=tip-off-received]");
        await received.WaitForAsync();
        Assert.Contains("亲贤派出所", await received.InnerTextAsync(), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "2-received");
        await Axe.AssertCleanAsync(page);

        var officer = await app.NewPageAsync();
        await app.SignInAsync(officer, "demo-officer");
        await officer.WaitForURLAsync("**/station");
        // The station home asks the purpose once for the task; the leads page reads under it.
        await BrowserApp.StatePurposeAsync(officer);
        await officer.ClickAsync("[data-testid=leads-link]");
        await officer.WaitForURLAsync("**/station/leads");
        var lead = officer.Locator("[data-testid=lead]", new() { HasText = description });
        await lead.WaitForAsync();
        var shown = await lead.InnerTextAsync();
        Assert.DoesNotContain("13900002222", shown, StringComparison.Ordinal);
        Assert.Contains("仅所长可见", shown, StringComparison.Ordinal);
        await BrowserApp.ShotAsync(officer, test, "3-leads");
        await Axe.AssertCleanAsync(officer);

        await lead.Locator("[data-testid=lead-note]").FillAsync("已上门核查，督促六人办理居住登记。");
        await lead.Locator("[data-testid=lead-close]").ClickAsync();
        await officer.Locator("[data-testid=lead]", new() { HasText = description }).WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await BrowserApp.ShotAsync(officer, test, "4-closed");
    }

    private static async Task ChooseAsync(IPage page, string field, string item)
    {
        await page.ClickAsync($"[data-testid={field}]");
        // A long list opens partly off a phone's screen: the item's own click, as a tap on it would give.
        await page.Locator($".mud-popover-open .mud-list-item:has-text('{item}')").First.EvaluateAsync("e => e.click()");
        await page.WaitForSelectorAsync(".mud-popover-open", new PageWaitForSelectorOptions { State = WaitForSelectorState.Detached });
    }

    private static async Task ChooseDivisionAsync(IPage page, string field, string search, string code)
    {
        await page.FillAsync($"[data-testid={field}]", search);
        await page.Locator($".mud-popover-open .mud-list-item:has-text('{code}')").First.EvaluateAsync("e => e.click()");
        await page.WaitForSelectorAsync(".mud-popover-open", new PageWaitForSelectorOptions { State = WaitForSelectorState.Detached });
    }

    private static string NewIdNumber(DateOnly birth, int serial)
    {
        var first17 = "130102" + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + serial.ToString("D3", CultureInfo.InvariantCulture);
        return first17 + CitizenId.ComputeCheckCharacter(first17);
    }
}
