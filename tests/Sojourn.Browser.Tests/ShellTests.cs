using Deque.AxeCore.Playwright;

namespace Sojourn.Browser.Tests;

/// <summary>The frame every role works in: sign-in, the role's landing page, the language switch, sign-out.</summary>
public sealed class ShellTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [SkippableFact]
    public async Task SignIn_Analyst_LandsHomeAndSignsOut()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        var page = await app.NewPageAsync();
        await page.GotoAsync("/account/sign-in");
        await BrowserApp.ShotAsync(page, nameof(SignIn_Analyst_LandsHomeAndSignsOut), "1-sign-in");
        await Axe.AssertCleanAsync(page);

        await app.SignInAsync(page, "demo-analyst");
        Assert.Contains("demo-analyst", await page.InnerTextAsync("[data-testid=signed-in-as]"), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, nameof(SignIn_Analyst_LandsHomeAndSignsOut), "2-home");

        await page.ClickAsync("[data-testid=sign-out]");
        await page.WaitForURLAsync("**/account/sign-in");
    }

    [SkippableFact]
    public async Task SignIn_WrongPassword_SaysSoAndKeepsTheForm()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        var page = await app.NewPageAsync(phone: true);
        await page.GotoAsync("/account/sign-in");
        await page.FillAsync("#userName", "demo-migrant");
        await page.FillAsync("#password", "wrong-password-1");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("[role=alert]");
        Assert.Contains("登录失败", await page.InnerTextAsync("[role=alert]"), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task LanguageSwitch_ShowsEnglish()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        var page = await app.NewPageAsync();
        await page.GotoAsync("/");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.ClickAsync("[data-testid=language-switch]");
        await page.WaitForSelectorAsync("text=Floating Population Services");
        await BrowserApp.ShotAsync(page, nameof(LanguageSwitch_ShowsEnglish), "english");
    }
}
