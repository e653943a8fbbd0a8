namespace Sojourn.Browser.Tests;

/// <summary>The administrator's page: accounts, locking and unlocking one, the audit signing key.</summary>
public sealed class AdminTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [SkippableFact]
    public async Task TheAdministratorLocksAndUnlocksAnAccount()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "demo-admin");
        await page.GotoAsync("/admin");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.WaitForSelectorAsync("[data-testid=accounts]");
        Assert.Contains("demo-analyst", await page.InnerTextAsync("[data-testid=accounts]"), StringComparison.Ordinal);
        Assert.Contains("当前密钥", await page.InnerTextAsync("[data-testid=key-status]"), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, nameof(TheAdministratorLocksAndUnlocksAnAccount), "1-accounts");
        await Axe.AssertCleanAsync(page);

        await page.ClickAsync("[data-testid=lock-demo-analyst]");
        await page.WaitForSelectorAsync("[data-testid=unlock-demo-analyst]");
        Assert.Equal("已停用", (await page.InnerTextAsync("[data-testid=state-demo-analyst]")).Trim());
        await BrowserApp.ShotAsync(page, nameof(TheAdministratorLocksAndUnlocksAnAccount), "2-locked");

        // A locked account cannot sign in.
        var other = await app.NewPageAsync();
        await other.GotoAsync("/account/sign-in");
        await other.FillAsync("#userName", "demo-analyst");
        await other.FillAsync("#password", BrowserApp.Password);
        await other.ClickAsync("button[type=submit]");
        await other.WaitForSelectorAsync("[role=alert]");

        await page.ClickAsync("[data-testid=unlock-demo-analyst]");
        await page.WaitForSelectorAsync("[data-testid=lock-demo-analyst]");
        Assert.Equal("正常", (await page.InnerTextAsync("[data-testid=state-demo-analyst]")).Trim());
        await Axe.AssertCleanAsync(page);

        // An account's API tokens: names, scopes and dates, never the token.
        await page.ClickAsync("[data-testid=tokens-demo-reporter]");
        await page.WaitForSelectorAsync("[data-testid=tokens]");
        Assert.Contains("demo-reporter", await page.InnerTextAsync("[data-testid=tokens]"), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, nameof(TheAdministratorLocksAndUnlocksAnAccount), "3-tokens");
        await Axe.AssertCleanAsync(page);
    }
}
