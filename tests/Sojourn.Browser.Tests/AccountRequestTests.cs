using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace Sojourn.Browser.Tests;

/// <summary>
/// Two administrators and an account (docs/adr/0005-account-separation-of-duties.md): demo-admin requests a collector
/// account with the form (checked as typed), cannot approve its own request (the page says why), demo-admin2 approves
/// it; the holder activates with both halves of the code and signs in.
/// </summary>
public sealed partial class AccountRequestTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string NewUser = "web13c-collector";
    private const string NewPassword = "Web13cCollector2026";

    [SkippableFact]
    public async Task AnAccountTakesTwoAdministratorsAndThenSignsIn()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(AnAccountTakesTwoAdministratorsAndThenSignsIn);
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "demo-admin");
        await page.GotoAsync("/admin");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.WaitForSelectorAsync("[data-testid=account-request]");
        await page.WaitForSelectorAsync("[data-testid=key-rotation]");
        Assert.Contains("SM4", await page.InnerTextAsync("[data-testid=key-rotation]"), StringComparison.Ordinal);

        // Checked as typed, with the server's own rules: the field and the rule are named.
        await page.FillAsync("[data-testid=userName]", "web13c collector!");
        await page.FillAsync("[data-testid=divisions]", "14x");
        await page.WaitForSelectorAsync("[data-testid=account-request] >> text=用户名只能含字母");
        await page.WaitForSelectorAsync("[data-testid=account-request] >> text=区划代码应为 2–12 位数字");
        await BrowserApp.ShotAsync(page, test, "1-typed-wrong");

        await page.FillAsync("[data-testid=userName]", NewUser);
        await page.FillAsync("[data-testid=divisions]", "140105");
        await page.FillAsync("[data-testid=office]", "小店区亲贤街道亲贤社区");
        await ChooseAsync(page, "role", "社区协管员");
        await page.ClickAsync("[data-testid=request-submit]");
        var requested = await page.Locator("[data-testid=request-result]").First.InnerTextAsync();
        var firstHalf = Half(requested);
        await page.WaitForSelectorAsync($"[data-testid=approve-{NewUser}]");
        Assert.Contains("本人提出", await page.InnerTextAsync($"[data-testid=requested-by-{NewUser}]"), StringComparison.Ordinal);
        Assert.Equal("待批准", (await page.InnerTextAsync($"[data-testid=state-{NewUser}]")).Trim());
        await BrowserApp.ShotAsync(page, test, "2-requested");
        await Axe.AssertCleanAsync(page);

        // The requester's own approval: the server refuses (30025) and the page says why.
        await AdminSteps.AssertOwnApprovalRefusedAsync(page, NewUser);
        Assert.Equal("待批准", (await page.InnerTextAsync($"[data-testid=state-{NewUser}]")).Trim());
        await BrowserApp.ShotAsync(page, test, "3-own-approval-refused");
        await Axe.AssertCleanAsync(page);

        // A second administrator approves it and gets the other half of the code.
        var second = await AdminSteps.SecondAdministratorAsync(app);
        await second.ClickAsync($"[data-testid=approve-{NewUser}]");
        var approved = await second.Locator("[data-testid=request-result]").First.InnerTextAsync();
        Assert.Contains(NewUser, approved, StringComparison.Ordinal);
        var secondHalf = Half(approved);
        await second.WaitForSelectorAsync("[data-testid=no-pending]");
        Assert.Equal("待本人激活", (await second.InnerTextAsync($"[data-testid=state-{NewUser}]")).Trim());
        await BrowserApp.ShotAsync(second, test, "4-approved");
        await Axe.AssertCleanAsync(second);

        // The holder activates with both halves and a password of their own, then signs in through the form.
        using (var http = new HttpClient { BaseAddress = new Uri(app.BaseUrl) })
        {
            var activated = await http.PostAsJsonAsync("/api/v1/auth/activate",
                new { userName = NewUser, activationCode = firstHalf + secondHalf, newPassword = NewPassword });
            Assert.True(activated.IsSuccessStatusCode, await activated.Content.ReadAsStringAsync());
        }

        var holder = await app.NewPageAsync();
        await holder.GotoAsync("/account/sign-in");
        await holder.FillAsync("#userName", NewUser);
        await holder.FillAsync("#password", NewPassword);
        await holder.ClickAsync("button[type=submit]");
        await holder.WaitForURLAsync(url => !url.Contains("/account/sign-in", StringComparison.Ordinal),
            new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        await BrowserApp.WaitForInteractiveAsync(holder);
        await BrowserApp.ShotAsync(holder, test, "5-holder-signed-in");

        await page.ReloadAsync();
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.WaitForSelectorAsync($"[data-testid=state-{NewUser}]");
        Assert.Equal("正常", (await page.InnerTextAsync($"[data-testid=state-{NewUser}]")).Trim());
    }

    private static string Half(string result)
    {
        var match = HalfPattern().Match(result);
        Assert.True(match.Success, result);
        return match.Groups[1].Value;
    }

    [GeneratedRegex("激活码[前后]一半：([A-Z2-9]{8})")]
    private static partial Regex HalfPattern();

    private static async Task ChooseAsync(IPage page, string field, string item)
    {
        await page.ClickAsync($"[data-testid={field}]");
        await page.Locator($".mud-popover-open .mud-list-item:has-text('{item}')").First.EvaluateAsync("e => e.click()");
        await page.WaitForSelectorAsync(".mud-popover-open", new PageWaitForSelectorOptions { State = WaitForSelectorState.Detached });
    }
}
