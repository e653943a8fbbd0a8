namespace Sojourn.Browser.Tests;

/// <summary>The station chief's page: the audit log's status, its signed checkpoints, verification, the search and the station's accounts.</summary>
public sealed class ChiefTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [SkippableFact]
    public async Task TheChiefVerifiesTheAuditLogAndSeesTheStation()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        var page = await app.NewPageAsync();
        try
        {
            await app.SignInAsync(page, "demo-chief");
        }
        catch (TimeoutException) when (!page.Url.Contains("/account/sign-in", StringComparison.Ordinal))
        {
            // Signed in; the chief lands on /station, the officers' page, which a branch without it cannot show.
        }

        await page.GotoAsync("/chief");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.WaitForSelectorAsync("[data-testid=station-accounts]");
        var accounts = await page.InnerTextAsync("[data-testid=station-accounts]");
        Assert.Contains("demo-officer", accounts, StringComparison.Ordinal);
        Assert.DoesNotContain("demo-health", accounts, StringComparison.Ordinal); // not of this station
        await BrowserApp.ShotAsync(page, nameof(TheChiefVerifiesTheAuditLogAndSeesTheStation), "1-chief");
        await Axe.AssertCleanAsync(page);

        await page.ClickAsync("[data-testid=verify]");
        await page.WaitForSelectorAsync("[data-testid=verify-result][data-intact=true]");
        Assert.Contains("校验通过", await page.InnerTextAsync("[data-testid=verify-result]"), StringComparison.Ordinal);

        await page.ClickAsync("[data-testid=search-go]");
        await page.WaitForSelectorAsync("[data-testid=search-total], [data-testid=no-entries]");
        await BrowserApp.ShotAsync(page, nameof(TheChiefVerifiesTheAuditLogAndSeesTheStation), "2-verified");
        await Axe.AssertCleanAsync(page);
    }
}
