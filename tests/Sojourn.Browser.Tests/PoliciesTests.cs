namespace Sojourn.Browser.Tests;

/// <summary>The public policy browser: list, one policy's values, two versions compared, a case evaluated.</summary>
public sealed class PoliciesTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [SkippableFact]
    public async Task ThePolicyBrowserShowsADiff()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        var page = await app.NewPageAsync();
        await page.GotoAsync("/policies");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.WaitForSelectorAsync("[data-testid=policy-shanxi-2013]");
        Assert.Contains("山西省", await page.InnerTextAsync("[data-testid=policy-list]"), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, nameof(ThePolicyBrowserShowsADiff), "1-list");
        await Axe.AssertCleanAsync(page);

        await page.ClickAsync("[data-testid=policy-shanxi-2017]");
        await page.WaitForSelectorAsync("[data-testid=policy-values]");
        Assert.Contains("第", await page.InnerTextAsync("[data-testid=policy-values]"), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, nameof(ThePolicyBrowserShowsADiff), "2-detail");
        await Axe.AssertCleanAsync(page);

        await page.GotoAsync("/policies/diff?a=shanxi-2013&b=shanxi-2017");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.WaitForSelectorAsync("[data-testid=diff-table]");
        // A changed value names the article of each version: 2013's and 2017's.
        var changed = page.Locator("[data-testid=diff-table] tbody tr").Filter(new() { Has = page.Locator("[data-testid=diff-kind]", new() { HasText = "已修改" }) }).First;
        var a = await changed.Locator("[data-testid=diff-a-basis]").InnerTextAsync();
        var b = await changed.Locator("[data-testid=diff-b-basis]").InnerTextAsync();
        Assert.Contains("山西省流动人口服务管理办法 第", a, StringComparison.Ordinal);
        Assert.Contains("山西省流动人口服务管理办法 第", b, StringComparison.Ordinal);
        Assert.NotEqual(await changed.Locator("[data-testid=diff-a-cell]").InnerTextAsync(), await changed.Locator("[data-testid=diff-b-cell]").InnerTextAsync());
        await BrowserApp.ShotAsync(page, nameof(ThePolicyBrowserShowsADiff), "3-diff");
        await Axe.AssertCleanAsync(page);
    }

    [SkippableFact]
    public async Task TheEvaluationFormShowsDutiesWithTheirBasis()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        var page = await app.NewPageAsync(phone: true);
        await page.GotoAsync("/policies/evaluate");
        await BrowserApp.WaitForInteractiveAsync(page);
        await BrowserApp.ShotAsync(page, nameof(TheEvaluationFormShowsDutiesWithTheirBasis), "1-form");
        await Axe.AssertCleanAsync(page);

        await page.ClickAsync("[data-testid=evaluate-submit]");
        await page.WaitForSelectorAsync("[data-testid=duties]");
        var duties = await page.InnerTextAsync("[data-testid=duties]");
        Assert.Contains("person.register-residence", duties, StringComparison.Ordinal);
        Assert.Contains("山西省流动人口服务管理办法 第9条", duties, StringComparison.Ordinal);
        Assert.Contains("shanxi-2017", await page.InnerTextAsync("[data-testid=evaluate-result]"), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, nameof(TheEvaluationFormShowsDutiesWithTheirBasis), "2-result");
        await Axe.AssertCleanAsync(page);

        // A wrong division is named with its rule as it is typed, and the input stays.
        await page.FillAsync("input[data-testid=field-residence], [data-testid=field-residence] input", "14");
        await page.Keyboard.PressAsync("Tab");
        await page.WaitForSelectorAsync("text=居住地行政区划代码应为 6 位数字的行政区划代码。");
        Assert.Equal("14", await page.InputValueAsync("input[data-testid=field-residence], [data-testid=field-residence] input"));
    }
}
