namespace Sojourn.Browser.Tests;

/// <summary>
/// A change of role and divisions takes two administrators (docs/adr/0005-account-separation-of-duties.md): demo-admin
/// requests one for demo-analyst from the account list (the divisions checked as typed against GB/T 2260), sees it
/// pending with its name as requester, cannot approve it (the page says why); demo-admin2 approves and the account
/// shows its new role and divisions.
/// </summary>
public sealed class AccountChangeTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string Target = "demo-analyst";

    [SkippableFact]
    public async Task ARoleChangeTakesASecondAdministrator()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(ARoleChangeTakesASecondAdministrator);
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "demo-admin");
        await page.GotoAsync("/admin");
        await BrowserApp.WaitForInteractiveAsync(page);
        Assert.Equal("统计分析", (await page.InnerTextAsync($"[data-testid=role-{Target}]")).Trim());
        await page.ClickAsync($"[data-testid=change-{Target}]");
        await page.WaitForSelectorAsync("[data-testid=account-change]");
        Assert.Equal("1401", await page.InputValueAsync("[data-testid=change-divisions]"));

        // Checked as typed with the server's own rules, the field named: the form, then a code GB/T 2260 does not have.
        await page.FillAsync("[data-testid=change-divisions]", "14x");
        await page.WaitForSelectorAsync("[data-testid=account-change] >> text=辖区：区划代码应为 2–12 位数字");
        await page.FillAsync("[data-testid=change-divisions]", "140106,990000");
        await page.WaitForSelectorAsync("[data-testid=account-change] >> text=辖区：990000 不是 GB/T 2260 行政区划代码");
        await BrowserApp.ShotAsync(page, test, "1-typed-wrong");
        await Axe.AssertCleanAsync(page);

        await page.FillAsync("[data-testid=change-divisions]", "140106");
        await ChooseAsync(page, "change-role", "社区协管员");
        await page.ClickAsync("[data-testid=change-submit]");
        var pending = page.Locator($"[data-testid=pending-change-{Target}]");
        await pending.WaitForAsync();
        var shown = await pending.InnerTextAsync();
        Assert.Contains("社区协管员", shown, StringComparison.Ordinal);
        Assert.Contains("140106", shown, StringComparison.Ordinal);
        Assert.Contains("申请人 demo-admin", shown, StringComparison.Ordinal);
        Assert.Contains("待批准", await page.InnerTextAsync($"[data-testid=state-{Target}]"), StringComparison.Ordinal);
        // Still the old role until approved; listed among the requests as the requester's own.
        Assert.Equal("统计分析", (await page.InnerTextAsync($"[data-testid=role-{Target}]")).Trim());
        Assert.Contains("本人提出", await page.InnerTextAsync($"[data-testid=requested-by-{Target}]"), StringComparison.Ordinal);
        Assert.True(await page.IsDisabledAsync($"[data-testid=change-{Target}]"));
        await BrowserApp.ShotAsync(page, test, "2-change-requested");
        await Axe.AssertCleanAsync(page);

        // The requester's own approval: refused by the rule (30025), and the page says why.
        await AdminSteps.AssertOwnApprovalRefusedAsync(page, Target);
        Assert.Equal("统计分析", (await page.InnerTextAsync($"[data-testid=role-{Target}]")).Trim());
        await BrowserApp.ShotAsync(page, test, "3-own-approval-refused");
        await Axe.AssertCleanAsync(page);

        // A second administrator sees who asked for it and approves: the new role and divisions apply.
        var second = await AdminSteps.SecondAdministratorAsync(app);
        Assert.Contains("demo-admin", await second.InnerTextAsync($"[data-testid=requested-by-{Target}]"), StringComparison.Ordinal);
        Assert.Contains("申请人 demo-admin", await second.InnerTextAsync($"[data-testid=pending-change-{Target}]"), StringComparison.Ordinal);
        await second.ClickAsync($"[data-testid=approve-{Target}]");
        var approved = await second.Locator("[data-testid=request-result]").First.InnerTextAsync();
        Assert.Contains($"已批准账号 {Target} 的变更", approved, StringComparison.Ordinal);
        await second.WaitForSelectorAsync("[data-testid=no-pending]");
        await second.Locator($"[data-testid=role-{Target}]:has-text('社区协管员')").WaitForAsync();
        var row = await second.Locator($"tr:has([data-testid=role-{Target}])").InnerTextAsync();
        Assert.Contains("140106", row, StringComparison.Ordinal);
        Assert.Equal(0, await second.Locator($"[data-testid=pending-change-{Target}]").CountAsync());
        await BrowserApp.ShotAsync(second, test, "4-approved");
        await Axe.AssertCleanAsync(second);

        // The requester's page, reloaded, shows the account as changed.
        await page.ReloadAsync();
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.Locator($"[data-testid=role-{Target}]:has-text('社区协管员')").WaitForAsync();
    }

    private static async Task ChooseAsync(IPage page, string field, string item)
    {
        await page.ClickAsync($"[data-testid={field}]");
        await page.Locator($".mud-popover-open .mud-list-item:has-text('{item}')").First.EvaluateAsync("e => e.click()");
        await page.WaitForSelectorAsync(".mud-popover-open", new PageWaitForSelectorOptions { State = WaitForSelectorState.Detached });
    }
}
