using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data.Access;
using Sojourn.Data.Security;
using Sojourn.Domain;
using Sojourn.Web.Access.Accounts;

namespace Sojourn.Browser.Tests;

/// <summary>
/// The migrant's screens on a 375 px phone, as demo-migrant (王建国 of the demo data): the home page, declaring a
/// registration through the form, the record's page, applying for a permit.
/// </summary>
public sealed class MigrantTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    // 王建国's identity number (AccountSeeder: 130102 19860412 031 and its check character).
    private static readonly string IdNumber = "13010219860412031" + CitizenId.ComputeCheckCharacter("13010219860412031");

    private static string Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string DaysAgo(int days) =>
        DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(-days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [SkippableFact]
    public async Task Migrant_DeclaresAndApplies_OnAPhoneSizedViewport()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(Migrant_DeclaresAndApplies_OnAPhoneSizedViewport);
        var page = await app.NewPageAsync(phone: true);
        await app.SignInAsync(page, "demo-migrant");

        // Home: the demo registration (小店区, confirmed), the actions and the access log.
        await page.WaitForURLAsync("**/me");
        await page.WaitForSelectorAsync("[data-testid=registration]");
        Assert.Contains("已确认", await page.InnerTextAsync("[data-testid=registrations]"), StringComparison.Ordinal);
        Assert.Equal("/me/access-log", await page.GetAttributeAsync("[data-testid=action-access-log]", "href"));
        // The other tests of this class declare as the same demo migrant, in any order: count from what is there.
        var before = await page.Locator("[data-testid=registration]").CountAsync();
        await BrowserApp.ShotAsync(page, test, "1-home");
        await Axe.AssertCleanAsync(page);
        await AssertFitsPhoneAsync(page);

        // Declare a stay at a second address (迎泽区) through the form.
        await page.ClickAsync("[data-testid=action-declare]");
        await page.WaitForURLAsync("**/me/registrations/new");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.WaitForSelectorAsync("[data-testid=declare-form]");
        await BrowserApp.ShotAsync(page, test, "2-declare-empty");
        await Axe.AssertCleanAsync(page);
        await FillDeclarationAsync(page, "迎泽区迎泽大街 100 号 2 单元 301 室");
        await BrowserApp.ShotAsync(page, test, "3-declare-filled");
        await Axe.AssertCleanAsync(page);
        await AssertFitsPhoneAsync(page);
        await page.ClickAsync("[data-testid=declare-submit]");

        // The record's page: details and history.
        await page.WaitForURLAsync(url => url.Contains("/me/registrations/", StringComparison.Ordinal) && !url.Contains("/new", StringComparison.Ordinal));
        await page.WaitForSelectorAsync("[data-testid=registration-details]");
        Assert.Contains("迎泽大街", await page.InnerTextAsync("[data-testid=registration-details]"), StringComparison.Ordinal);
        Assert.Contains("已申报", await page.InnerTextAsync("[data-testid=registration-status]"), StringComparison.Ordinal);
        var history = await page.InnerTextAsync("[data-testid=history]");
        Assert.Contains("申报", history, StringComparison.Ordinal);
        Assert.Contains("本人申报", history, StringComparison.Ordinal);
        Assert.DoesNotContain(IdNumber, await page.ContentAsync(), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "4-registration");
        await Axe.AssertCleanAsync(page);
        await AssertFitsPhoneAsync(page);

        // Back home: both stays are listed.
        await page.ClickAsync("[data-testid=back-home]");
        await page.WaitForURLAsync("**/me");
        await page.WaitForFunctionAsync("n => document.querySelectorAll('[data-testid=registration]').length === n", before + 1);
        Assert.Contains("已申报", await page.InnerTextAsync("[data-testid=registrations]"), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "5-home-after");
        await Axe.AssertCleanAsync(page);

        // Apply: the policy's materials with their articles; 40 days of residence is too short, and the page says so.
        await page.ClickAsync("[data-testid=action-apply]");
        await page.WaitForURLAsync("**/me/permits/apply");
        await page.WaitForSelectorAsync("[data-testid=eligibility]");
        Assert.Equal("false", await page.GetAttributeAsync("[data-testid=eligibility]", "data-eligible"));
        Assert.Contains("居住时间", await page.InnerTextAsync("[data-testid=eligibility]"), StringComparison.Ordinal);
        Assert.True(await page.Locator("[data-testid=materials] input[type=checkbox]").CountAsync() > 0);
        await BrowserApp.ShotAsync(page, test, "6-apply");
        await Axe.AssertCleanAsync(page);
        await AssertFitsPhoneAsync(page);
        await TickAllMaterialsAsync(page);
        await page.ClickAsync("[data-testid=apply-submit]");
        await page.WaitForSelectorAsync("[data-testid=failure]");
        Assert.Contains("/me/permits/apply", page.Url, StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "7-apply-refused");
        await Axe.AssertCleanAsync(page);
    }

    [SkippableFact]
    public async Task Migrant_AppliesForAPermit_AndSeesItsDeadlineCountDown()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(Migrant_AppliesForAPermit_AndSeesItsDeadlineCountDown);
        // 冯春燕 of the permit demo data: registered 400 days ago, her first application refused; she applies again.
        var user = await MigrantAccountAsync("test-migrant-feng", "61011319970122048");
        var page = await app.NewPageAsync(phone: true);
        await app.SignInAsync(page, user);
        await page.GotoAsync("/me/permits/apply");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.WaitForSelectorAsync("[data-testid=eligibility]");
        await page.ClickAsync("[data-testid=facts] >> text=有房屋租赁合同");
        await page.FillAsync("[data-testid=laborMonths]", "24");
        await page.FillAsync("[data-testid=insuranceMonths]", "12");
        await page.ClickAsync("[data-testid=check-eligibility]");
        await page.WaitForSelectorAsync("[data-testid=eligibility][data-eligible=true]");
        await TickAllMaterialsAsync(page);
        await page.FillAsync("[data-testid=phone]", "13800138000");
        await BrowserApp.ShotAsync(page, test, "1-apply");
        await Axe.AssertCleanAsync(page);
        await page.ClickAsync("[data-testid=apply-submit]");

        // The application's page: its legal issue deadline counting down, and its history.
        await page.WaitForURLAsync(url => url.Contains("/me/permits/", StringComparison.Ordinal) && !url.EndsWith("/apply", StringComparison.Ordinal));
        await page.WaitForSelectorAsync("[data-testid=issue-countdown]");
        Assert.Contains("还剩", await page.InnerTextAsync("[data-testid=issue-countdown]"), StringComparison.Ordinal);
        Assert.Contains("申领受理", await page.InnerTextAsync("[data-testid=permit-history]"), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "2-permit");
        await Axe.AssertCleanAsync(page);
        await AssertFitsPhoneAsync(page);

        // Home: the pending application with its countdown, and a reminder.
        await page.ClickAsync("[data-testid=back-home]");
        await page.WaitForSelectorAsync("[data-testid=permit-countdown]");
        Assert.Contains("还剩", await page.InnerTextAsync("[data-testid=permit-countdown]"), StringComparison.Ordinal);
        Assert.Contains("法定发证期限", await page.InnerTextAsync("[data-testid=reminders]"), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "3-home");
        await Axe.AssertCleanAsync(page);
    }

    [SkippableFact]
    public async Task Holder_SeesEPermitAndEndorsesInTheWindow()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(Holder_SeesEPermitAndEndorsesInTheWindow);
        // 郭晓红 of the permit demo data: issued 345 days ago, the endorsement window is open.
        var user = await MigrantAccountAsync("test-migrant-guo", "13010219900315062");
        var page = await app.NewPageAsync(phone: true);
        await app.SignInAsync(page, user);
        // The reminder comes from the system (MyRemindersUseCase): the permit's due date and the policy's article.
        var reminder = page.Locator("[data-testid=reminder][data-kind=endorsement-open]");
        await reminder.WaitForAsync();
        var (due, article) = await EndorsementDueAsync("13010219900315062");
        var text = await reminder.InnerTextAsync();
        Assert.Contains(due, text, StringComparison.Ordinal);
        Assert.Contains(article, text, StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "1-home");
        await Axe.AssertCleanAsync(page);
        await AssertFitsPhoneAsync(page);

        await page.ClickAsync("[data-testid=permit-link]");
        await page.WaitForSelectorAsync("[data-testid=permit-details]");
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('[data-testid=epermit-qr]'); return i && i.complete && i.naturalWidth > 0; }");
        var face = await page.GetAttributeAsync("[data-testid=face-pdf]", "href");
        Assert.Matches("^/api/v1/permits/[0-9a-f-]+/documents/face$", face);
        var pdf = await page.APIRequest.GetAsync(face!);
        Assert.Equal(200, pdf.Status);
        Assert.Equal("application/pdf", pdf.Headers["content-type"].Split(';')[0]);
        await BrowserApp.ShotAsync(page, test, "2-permit");
        await Axe.AssertCleanAsync(page);
        await AssertFitsPhoneAsync(page);

        // Endorse from the reminder on the home page (the same use case as the permit page's button).
        await page.ClickAsync("[data-testid=back-home]");
        await page.ClickAsync("[data-testid=reminder-endorse]");
        await page.WaitForSelectorAsync("[data-testid=endorsed]");
        await page.WaitForSelectorAsync("[data-testid=reminder][data-kind=endorsement-open]", new PageWaitForSelectorOptions { State = WaitForSelectorState.Detached });
        await BrowserApp.ShotAsync(page, test, "3-endorsed");
        await Axe.AssertCleanAsync(page);
        await page.ClickAsync("[data-testid=permit-link]");
        await page.WaitForSelectorAsync("[data-testid=permit-history]");
        Assert.Contains("签注", await page.InnerTextAsync("[data-testid=permit-history]"), StringComparison.Ordinal);

        // The access log (a page of its own, outside Blazor) opens from home and lists these reads.
        await page.ClickAsync("[data-testid=back-home]");
        await page.ClickAsync("[data-testid=action-access-log]");
        await page.WaitForURLAsync("**/me/access-log");
        await page.WaitForSelectorAsync("text=我的信息被查阅情况");
    }

    /// <summary>The person's valid permit's endorsement due date as pages write it, and the policy's article for the window.</summary>
    private async Task<(string Due, string Article)> EndorsementDueAsync(string first17)
    {
        using var scope = app.Services.CreateScope();
        var protector = scope.ServiceProvider.GetRequiredService<IdentityProtector>();
        var hmac = protector.LookupHash(first17 + CitizenId.ComputeCheckCharacter(first17));
        var db = scope.ServiceProvider.GetRequiredService<Sojourn.Data.SojournDbContext>();
        var permit = db.Permits.IgnoreQueryFilters().AsNoTracking().Single(p => p.PersonIdHmac == hmac && p.Status == "valid");
        var due = permit.EndorsementDue!.Value;
        var terms = Sojourn.Rules.Permits.PermitLifecycle.Default.Terms(permit.ResidenceDivisionCode, DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)), permit.PolicyId)!;
        var article = Sojourn.Application.Permits.PermitCitations.Parse(terms.EndorseWindow.Basis)[0].Article;
        return (due.ToString("yyyy年M月d日", System.Globalization.CultureInfo.InvariantCulture), article);
    }

    /// <summary>A migrant account for a person of the demo data (as AccountSeeder makes demo-migrant for 王建国).</summary>
    private async Task<string> MigrantAccountAsync(string userName, string first17)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SojournUser>>();
        if (await users.FindByNameAsync(userName) is null)
        {
            var protector = scope.ServiceProvider.GetRequiredService<IdentityProtector>();
            var result = await users.CreateAsync(new SojournUser
            {
                UserName = userName,
                Role = Roles.Migrant,
                Office = "",
                DisplayName = userName,
                Divisions = "",
                Stations = "",
                PersonIdHmac = protector.LookupHash(first17 + CitizenId.ComputeCheckCharacter(first17)),
                CreatedAt = DateTime.UtcNow,
            }, BrowserApp.Password);
            Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Code)));
        }

        return userName;
    }

    private static async Task TickAllMaterialsAsync(IPage page)
    {
        var boxes = page.Locator("[data-testid=materials] input[type=checkbox]");
        for (var i = 0; i < await boxes.CountAsync(); i++)
        {
            await boxes.Nth(i).CheckAsync();
        }
    }

    [SkippableFact]
    public async Task Migrant_DeclarationErrors_KeepTheInputAndNameTheField()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(Migrant_DeclarationErrors_KeepTheInputAndNameTheField);
        var page = await app.NewPageAsync(phone: true);
        await app.SignInAsync(page, "demo-migrant");
        await page.GotoAsync("/me/registrations/new");
        await BrowserApp.WaitForInteractiveAsync(page);

        // A wrong check character, as typed: the message names the field, the input stays.
        var wrong = IdNumber[..17] + (IdNumber[17] == '0' ? '1' : '0');
        await page.FillAsync("[data-testid=idNumber]", wrong);
        await page.Locator("[data-testid=idNumber]").BlurAsync();
        await page.WaitForSelectorAsync("text=公民身份号码校验码不正确");
        Assert.Equal(wrong, await page.InputValueAsync("[data-testid=idNumber]"));

        // Submitting the incomplete form names each missing field and keeps what was typed.
        await page.FillAsync("[data-testid=name]", "王建国");
        await page.ClickAsync("[data-testid=declare-submit]");
        await page.WaitForSelectorAsync("[data-testid=fix-errors]");
        var text = await page.InnerTextAsync("[data-testid=declare-form]");
        Assert.Contains("请填写居住地住址", text, StringComparison.Ordinal);
        Assert.Contains("请填写户籍地行政区划", text, StringComparison.Ordinal);
        Assert.Equal("王建国", await page.InputValueAsync("[data-testid=name]"));
        Assert.Equal(wrong, await page.InputValueAsync("[data-testid=idNumber]"));
        await BrowserApp.ShotAsync(page, test, "1-errors");
        await Axe.AssertCleanAsync(page);

        // The use case's own verdict per field: an arrival before the residence existed is fine, a future one is not.
        await page.FillAsync("[data-testid=idNumber]", IdNumber);
        await page.FillAsync("[data-testid=arrivedOn]", DateOnly.Parse(Today, System.Globalization.CultureInfo.InvariantCulture).AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("[data-testid=arrivedOn]").BlurAsync();
        await page.WaitForSelectorAsync("text=到达日期不能晚于今天");
    }

    /// <summary>
    /// 用人单位 and 入职日期 on the declaration (ADR 0009): a future hire day is refused as typed; declared with the demo
    /// employer's code and a hire day, the record shows both.
    /// </summary>
    [SkippableFact]
    public async Task Migrant_DeclaresWithAnEmployerAndHireDay_TheRecordShowsThem()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(Migrant_DeclaresWithAnEmployerAndHireDay_TheRecordShowsThem);
        var page = await app.NewPageAsync(phone: true);
        await app.SignInAsync(page, "demo-migrant");
        await page.GotoAsync("/me/registrations/new");
        await BrowserApp.WaitForInteractiveAsync(page);
        await FillDeclarationAsync(page, "迎泽区柳巷 7 号");
        await page.FillAsync("[data-testid=employerCode]", "91140105MA0DEMO01X");
        await page.FillAsync("[data-testid=hiredOn]", DateOnly.Parse(Today, System.Globalization.CultureInfo.InvariantCulture).AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("[data-testid=hiredOn]").BlurAsync();
        await page.WaitForSelectorAsync("text=入职日期不能晚于今天");
        await page.FillAsync("[data-testid=hiredOn]", DaysAgo(2));
        await page.Locator("[data-testid=hiredOn]").BlurAsync();
        await BrowserApp.ShotAsync(page, test, "1-declare-employer");
        await Axe.AssertCleanAsync(page);
        await page.ClickAsync("[data-testid=declare-submit]");

        await page.WaitForURLAsync(url => url.Contains("/me/registrations/", StringComparison.Ordinal) && !url.Contains("/new", StringComparison.Ordinal));
        await page.WaitForSelectorAsync("[data-testid=registration-details]");
        var details = await page.InnerTextAsync("[data-testid=registration-details]");
        Assert.Contains("91140105MA0DEMO01X", details, StringComparison.Ordinal);
        Assert.Contains("入职日期", details, StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "2-record");
        await Axe.AssertCleanAsync(page);
    }

    private static async Task FillDeclarationAsync(IPage page, string address)
    {
        await page.FillAsync("[data-testid=name]", "王建国");
        await page.FillAsync("[data-testid=idNumber]", IdNumber);
        await ChooseDivisionAsync(page, "hukouDivision", "长安区", "130102");
        await page.FillAsync("[data-testid=hukouAddress]", "河北省石家庄市长安区建设北大街12号");
        await ChooseDivisionAsync(page, "residenceDivision", "迎泽", "140106");
        await page.FillAsync("[data-testid=residenceAddress]", "太原市" + address);
        await page.FillAsync("[data-testid=arrivedOn]", DaysAgo(3));
        await page.FillAsync("[data-testid=intendedDays]", "180");
        await ChooseAsync(page, "purpose", "务工");
        await ChooseAsync(page, "lodging", "租赁房屋");
        await page.FillAsync("[data-testid=workplace]", "太原市迎泽区某建筑工程有限公司");
        await ChooseAsync(page, "education", "大学本科毕业");
        await ChooseAsync(page, "employment", "受雇就业");
        await ChooseAsync(page, "maritalStatus", "已婚");
        await page.ClickAsync("[data-testid=socialInsurance] >> text=养老保险");
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

    /// <summary>Nothing scrolls sideways at 375 px.</summary>
    private static async Task AssertFitsPhoneAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"),
            $"{page.Url} is wider than the phone");
}
