namespace Sojourn.Browser.Tests.Infrastructure;

/// <summary>The two-administrator steps (docs/adr/0005-account-separation-of-duties.md) that account tests share.</summary>
internal static class AdminSteps
{
    /// <summary>The requester approves its own request: the server refuses (30025) and the page says why.</summary>
    public static async Task AssertOwnApprovalRefusedAsync(IPage page, string account)
    {
        await page.ClickAsync($"[data-testid=approve-{account}]");
        var refusal = page.Locator("[data-testid=failure][data-error-code='30025']");
        await refusal.WaitForAsync();
        Assert.Contains("不能批准自己提出的申请", await refusal.InnerTextAsync(), StringComparison.Ordinal);
    }

    /// <summary>The second administrator of the demo data, signed in on the admin page in a page of its own.</summary>
    public static async Task<IPage> SecondAdministratorAsync(BrowserApp app)
    {
        var second = await app.NewPageAsync();
        await app.SignInAsync(second, "demo-admin2");
        await second.GotoAsync("/admin");
        await BrowserApp.WaitForInteractiveAsync(second);
        return second;
    }
}
