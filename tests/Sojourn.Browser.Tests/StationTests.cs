using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Sojourn.Application.Permits;
using Sojourn.Application.Registrations;
using Sojourn.Data;
using Sojourn.Data.Permits;
using Sojourn.Data.Registrations;
using Sojourn.Domain;
using Sojourn.Rules.Evaluation;
using Sojourn.TestSupport;
using Sojourn.Web.Hosting;
using Sojourn.Web.Registration;

namespace Sojourn.Browser.Tests;

/// <summary>
/// The police-station workbench as an officer uses it: state a purpose, the queue of declared registrations, confirm
/// and print the certificate (the PDF read back), issue or refuse a permit, a stale edit refused with a reload, search.
/// </summary>
public sealed class StationTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string Division = "140105";
    private const string Station = "140105000001";
    private const string StationName = "太原市公安局小店分局亲贤派出所";
    private static int _serial = 500;

    [SkippableFact]
    public async Task Officer_ConfirmsIssuesAndPrints_ThePdfIsReadBack()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(Officer_ConfirmsIssuesAndPrints_ThePdfIsReadBack);
        var (id, _, _) = await DeclareAsync("林晓东", arrivedDaysAgo: 25);
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "demo-officer");
        await page.WaitForURLAsync("**/station");
        await BrowserApp.StatePurposeAsync(page);

        var row = page.Locator($"[data-testid=queue-row][data-id='{id}']");
        await row.WaitForAsync();
        Assert.Contains("已逾期", await row.InnerTextAsync(), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "1-queue");
        await Axe.AssertCleanAsync(page);

        await row.Locator("[data-testid=open-registration]").ClickAsync();
        await page.WaitForURLAsync($"**/station/registrations/{id}");
        await page.Locator("[data-testid=confirm]").WaitForAsync();
        Assert.Contains("林晓东", await page.InnerTextAsync("[data-testid=details]"), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "2-review");
        await Axe.AssertCleanAsync(page);

        await page.ClickAsync("[data-testid=confirm]");
        await page.Locator("[data-testid=done]").WaitForAsync();
        await page.Locator("[data-status=confirmed]").WaitForAsync();
        var number = (await page.InnerTextAsync("[data-testid=certificate-number]")).Split('：')[^1].Trim();
        Assert.False(string.IsNullOrEmpty(number));
        await BrowserApp.ShotAsync(page, test, "3-confirmed");
        await Axe.AssertCleanAsync(page);

        var text = await DownloadTextAsync(page, "[data-testid=print-certificate]");
        Assert.Contains("林晓东", text, StringComparison.Ordinal);
        Assert.Contains(number, text, StringComparison.Ordinal);

        // From the queue: the demo application waiting for review (何志明, applied three days ago).
        var permitId = await DemoApplicationAsync();
        await page.ClickAsync("[data-testid=back]");
        var permitRow = page.Locator($"[data-testid=permit-row][data-id='{permitId}']");
        await permitRow.WaitForAsync();
        Assert.Contains("还剩", await permitRow.InnerTextAsync(), StringComparison.Ordinal);
        await permitRow.Locator("[data-testid=open-permit]").ClickAsync();
        await page.WaitForURLAsync($"**/station/permits/{permitId}");
        await page.Locator("[data-testid=approve]").WaitForAsync();
        await BrowserApp.ShotAsync(page, test, "4-permit");
        await Axe.AssertCleanAsync(page);
        await page.ClickAsync("[data-testid=approve]");
        await page.Locator("[data-status=valid]").WaitForAsync();
        var permitNumber = (await page.InnerTextAsync("[data-testid=permit-number]")).Split('：')[^1].Trim();
        await BrowserApp.ShotAsync(page, test, "5-issued");
        await Axe.AssertCleanAsync(page);
        var face = await DownloadTextAsync(page, "[data-testid=permit-face]");
        Assert.Contains("何志明", face, StringComparison.Ordinal);
        Assert.Contains(permitNumber, face, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Refusal_ShowsItsReasonsAndArticles()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(Refusal_ShowsItsReasonsAndArticles);
        var permitId = await ApplicationAsync("宋雨桐");
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "demo-officer");
        await BrowserApp.StatePurposeAsync(page);
        await page.GotoAsync($"/station/permits/{permitId}");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.Locator("[data-testid=refuse]").WaitForAsync();

        // Validation as the officer types: a malformed article is named, and the button stays off.
        await page.FillAsync("textarea[data-testid=refusal-reason-input], [data-testid=refusal-reason-input] textarea", "居住证明材料与登记地址不一致（测试）。");
        await page.FillAsync("input[data-testid=refusal-basis-input], [data-testid=refusal-basis-input] input", "第九条");
        await page.Locator("text=依据条款格式应为").WaitForAsync();
        Assert.True(await page.IsDisabledAsync("[data-testid=refuse]"));
        await BrowserApp.ShotAsync(page, test, "1-invalid");
        await Axe.AssertCleanAsync(page);

        await page.FillAsync("input[data-testid=refusal-basis-input], [data-testid=refusal-basis-input] input", "shanxi-2017#9, cn-2016#9");
        await page.ClickAsync("[data-testid=refuse]");
        await page.Locator("[data-status=refused]").WaitForAsync();
        Assert.Contains("居住证明材料与登记地址不一致", await page.InnerTextAsync("[data-testid=refusal-reason]"), StringComparison.Ordinal);
        var basis = await page.InnerTextAsync("[data-testid=refusal-basis]");
        Assert.Contains("第9条", basis, StringComparison.Ordinal);
        Assert.Contains("shanxi-2017#9", basis, StringComparison.Ordinal);
        Assert.Contains("cn-2016#9", basis, StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "2-refused");
        await Axe.AssertCleanAsync(page);

        var notice = await DownloadTextAsync(page, "[data-testid=refusal-notice]");
        Assert.Contains("居住证明材料与登记地址不一致", notice, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task StaleEdit_IsRefusedWithAWayToReload()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(StaleEdit_IsRefusedWithAWayToReload);
        var (id, version, _) = await DeclareAsync("欧阳敏", arrivedDaysAgo: 3);
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "demo-officer");
        await BrowserApp.StatePurposeAsync(page);
        await page.GotoAsync($"/station/registrations/{id}");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.Locator("[data-testid=confirm]").WaitForAsync();

        // Someone else corrects the record after the page loaded it.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var cases = scope.ServiceProvider.GetRequiredService<RegistrationContext>().UseCases();
            var amended = await cases.AmendAsync(new AmendRegistrationCommand(id, VersionKind.Correction, version, "服务处所更正（测试）", null,
                new RecordInput { Workplace = "太原市小店区某物流公司" }), RegistrationContext.SystemActor("collector:test-collector"), default);
            Assert.True(amended.Succeeded, amended.Failure?.Detail);
        }

        await page.ClickAsync("[data-testid=confirm]");
        await page.Locator("[data-testid=failure][data-error-code='10004']").WaitForAsync();
        Assert.Contains("test-collector", await page.InnerTextAsync("[data-testid=changed-by]"), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "1-stale");
        await Axe.AssertCleanAsync(page);

        await page.ClickAsync("[data-testid=reload]");
        await page.Locator("[data-testid=failure]").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        // The reloaded record: the other writer's correction is shown, and confirming now passes the new version.
        await page.Locator("[data-testid=details]", new() { HasText = "太原市小店区某物流公司" }).WaitForAsync();
        await page.ClickAsync("[data-testid=confirm]");
        await page.Locator("[data-status=confirmed]").WaitForAsync();
        await BrowserApp.ShotAsync(page, test, "2-reloaded-confirmed");
    }

    [SkippableFact]
    public async Task Search_ByIdNumber_LinksToTheRecord()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(Search_ByIdNumber_LinksToTheRecord);
        var (id, _, idNumber) = await DeclareAsync("邵佳怡", arrivedDaysAgo: 1);
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "demo-officer");
        await BrowserApp.StatePurposeAsync(page);
        await page.GotoAsync("/station/search");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.FillAsync("input[data-testid=search-id], [data-testid=search-id] input", idNumber[..10]);
        await page.Locator("text=公民身份号码应为18位").WaitForAsync();
        await page.FillAsync("input[data-testid=search-id], [data-testid=search-id] input", idNumber);
        await page.ClickAsync("[data-testid=search]");
        var row = page.Locator("[data-testid=search-row]");
        await row.First.WaitForAsync();
        Assert.Contains("邵佳怡", await row.First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(idNumber, await page.InnerTextAsync("[data-testid=search-results]"), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "1-results");
        await Axe.AssertCleanAsync(page);
        await row.First.Locator("a").First.ClickAsync();
        await page.WaitForURLAsync($"**/station/registrations/{id}");
    }

    [SkippableFact]
    public async Task Search_ByName_FindsThePersonMasked()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(Search_ByName_FindsThePersonMasked);
        var (_, _, idNumber) = await DeclareAsync("欧阳思远", arrivedDaysAgo: 1);
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "demo-officer");
        await BrowserApp.StatePurposeAsync(page);
        await page.GotoAsync("/station/search");
        await BrowserApp.WaitForInteractiveAsync(page);
        // One character is a trawl: the button stays off and the field says why.
        await page.FillAsync("input[data-testid=search-name], [data-testid=search-name] input", "欧");
        await page.Locator("text=至少2个字").WaitForAsync();
        Assert.True(await page.Locator("[data-testid=search-by-name]").IsDisabledAsync());
        await page.FillAsync("input[data-testid=search-name], [data-testid=search-name] input", "欧阳思");
        await page.ClickAsync("[data-testid=search-by-name]");
        var row = page.Locator("[data-testid=search-row]", new() { HasText = "欧阳思远" });
        await row.WaitForAsync();
        Assert.Contains(idNumber[..4] + "**********" + idNumber[14..], await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(idNumber, await page.InnerTextAsync("#main"), StringComparison.Ordinal);
        Assert.Contains("共", await page.InnerTextAsync("[data-testid=search-total]"), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "1-results");
        await Axe.AssertCleanAsync(page);

        // A name nobody in the jurisdiction has: an empty answer, said in words.
        await page.FillAsync("input[data-testid=search-name], [data-testid=search-name] input", "查无此人");
        await page.ClickAsync("[data-testid=search-by-name]");
        await page.Locator("[data-testid=search-empty]").WaitForAsync();
        await row.First.WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }

    [SkippableFact]
    public async Task PersonPage_ShowsTheirStaysAndPermits()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(PersonPage_ShowsTheirStaysAndPermits);
        var (id, _, idNumber) = await DeclareAsync("邱雅琴", arrivedDaysAgo: 2);
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "demo-officer");
        await BrowserApp.StatePurposeAsync(page);
        await page.GotoAsync("/station/search");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.FillAsync("input[data-testid=search-id], [data-testid=search-id] input", idNumber);
        await page.ClickAsync("[data-testid=search]");
        await page.Locator("[data-testid=open-person]").First.ClickAsync();
        await page.WaitForURLAsync($"**/station/people/{id}");
        await page.Locator("[data-testid=person-stay]").First.WaitForAsync();
        Assert.Contains("邱雅琴", await page.InnerTextAsync("h1"), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("[data-testid=person-stay]").CountAsync());
        await page.Locator("[data-testid=person-no-permits], [data-testid=person-permits]").First.WaitForAsync();
        Assert.DoesNotContain(idNumber, await page.InnerTextAsync("#main"), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "1-person");
        await Axe.AssertCleanAsync(page);
    }

    [SkippableFact]
    public async Task Chief_RunsTheDailySweep_AndSeesTheResult()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(Chief_RunsTheDailySweep_AndSeesTheResult);
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "demo-chief");
        await page.GotoAsync("/station/sweep");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.ClickAsync("[data-testid=sweep]");
        await page.Locator("[data-testid=sweep-result]").WaitForAsync();
        await BrowserApp.ShotAsync(page, test, "1-result");
        await Axe.AssertCleanAsync(page);

        // The reminders: 郭晓红's endorsement window of the demo data closes within the lead days, her permit has a phone.
        await page.ClickAsync("[data-testid=reminders-run]");
        await page.Locator("[data-testid=reminders-run-result]").WaitForAsync();
        await page.Locator("[data-testid=reminder-row]").First.WaitForAsync();
        Assert.Contains("签注", await page.InnerTextAsync("[data-testid=reminders-sent]"), StringComparison.Ordinal);

        // The gateway failed to send one: the page says so, with the attempts and the gateway's error.
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Sojourn.Data.SojournDbContext>();
            var sms = await db.SmsOutbox.OrderBy(m => m.CreatedAt).FirstAsync();
            sms.Attempts = 3;
            sms.LastError = "网关超时（测试）";
            await db.SaveChangesAsync();
        }

        await page.ReloadAsync();
        await BrowserApp.WaitForInteractiveAsync(page);
        var failed = page.Locator("[data-testid=sms-error]").First;
        await failed.WaitForAsync();
        Assert.Contains("网关超时（测试）", await failed.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("发送失败：1", await page.InnerTextAsync("[data-testid=sms-count-failed]"), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "2-reminders");
        await Axe.AssertCleanAsync(page);
    }

    [SkippableFact]
    public async Task Queue_OnAPhone_ShowsTheDeadlines()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(Queue_OnAPhone_ShowsTheDeadlines);
        await DeclareAsync("韩冬梅", arrivedDaysAgo: 4);
        var page = await app.NewPageAsync(phone: true);
        await app.SignInAsync(page, "demo-officer");
        await BrowserApp.StatePurposeAsync(page);
        await page.Locator("[data-testid=queue-row]").First.WaitForAsync();
        await page.Locator("[data-testid=permit-queue], [data-testid=permit-queue-empty]").First.WaitForAsync();
        await BrowserApp.ShotAsync(page, test, "1-queue-phone");
        await Axe.AssertCleanAsync(page);
        // Nothing wider than the screen but the tables, which scroll inside their own box.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"));
    }

    /// <summary>Answers the purpose dialog the first read of the task opens (registration review).</summary>
    /// <summary>Clicks a download button and reads the saved PDF's text back.</summary>
    private static async Task<string> DownloadTextAsync(IPage page, string selector)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync(selector));
        var path = await download.PathAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4), StringComparison.Ordinal);
        return PdfText.Read(bytes);
    }

    private static string NewIdNumber(string birth)
    {
        var serial = Interlocked.Increment(ref _serial);
        var first17 = "130102" + birth + serial.ToString("D3", CultureInfo.InvariantCulture);
        return first17 + CitizenId.ComputeCheckCharacter(first17);
    }

    private static DeclareRequest Request(string name, string idNumber, DateOnly arrivedOn) => new()
    {
        Name = name,
        IdNumber = idNumber,
        EthnicGroup = "01",
        HukouDivision = "130102",
        HukouAddress = "河北省石家庄市长安区测试路1号",
        ResidenceDivision = Division,
        ResidenceAddress = $"太原市小店区测试街{idNumber[^4..]}号",
        Workplace = "太原市小店区某科技有限公司",
        Education = "21",
        Employment = "employed",
        SocialInsurance = ["pension", "medical"],
        MaritalStatus = "married",
        MarriageBirthCertificate = true,
        ArrivedOn = arrivedOn,
        IntendedDays = 365,
        Purpose = "work",
        Lodging = "rental",
        Declarant = new DeclarantInput("collector", "社区协管员 韩梅", "社区流动人口协管员"),
    };

    /// <summary>A declared registration in the officer's division (through the use case, as the collector's app would).</summary>
    private async Task<(Guid Id, int Version, string IdNumber)> DeclareAsync(string name, int arrivedDaysAgo)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var ctx = scope.ServiceProvider.GetRequiredService<RegistrationContext>();
        var idNumber = NewIdNumber("19900101");
        var declared = await ctx.UseCases().DeclareAsync(
            new DeclareRegistrationCommand(Request(name, idNumber, ctx.Clock.Today.AddDays(-arrivedDaysAgo))),
            RegistrationContext.SystemActor("collector:test-collector"), default);
        Assert.True(declared.Succeeded, declared.Failure?.Detail);
        var dto = declared.Value.Registration!;
        return (dto.Id, dto.Version, idNumber);
    }

    /// <summary>
    /// The officer records on an issued permit that the holder settled 常住户口 (issue 14): a day after today is refused as
    /// typed, naming the field, and the button stays off; a past day is recorded and listed with the follow-up's article.
    /// </summary>
    [SkippableFact]
    public async Task HolderSettled_RecordedFromThePermitPage()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(HolderSettled_RecordedFromThePermitPage);
        var permitId = await ApplicationAsync("落户测");
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "demo-officer");
        await BrowserApp.StatePurposeAsync(page);
        await page.GotoAsync($"/station/permits/{permitId}");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.ClickAsync("[data-testid=approve]");
        await page.Locator("[data-status=valid]").WaitForAsync();
        await page.Locator("[data-testid=holder-fact]").WaitForAsync();

        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        const string day = "input[data-testid=fact-on], [data-testid=fact-on] input";
        await page.FillAsync(day, today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.FillAsync("input[data-testid=fact-hukou], [data-testid=fact-hukou] input", "140105");
        await page.FillAsync("input[data-testid=fact-document], [data-testid=fact-document] input", "准予迁入证明 测试-1");
        await page.Locator("text=落户或死亡日期不能晚于今天").WaitForAsync();
        Assert.True(await page.IsDisabledAsync("[data-testid=record-fact]"));
        await BrowserApp.ShotAsync(page, test, "1-future-day");
        await Axe.AssertCleanAsync(page);

        await page.FillAsync(day, today.AddDays(-12).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.ClickAsync("[data-testid=record-fact]");
        await page.Locator("[data-testid=fact-done]").WaitForAsync();
        var row = page.Locator("[data-testid=holder-fact-row][data-current=true]");
        await row.WaitForAsync();
        var text = await row.InnerTextAsync();
        Assert.Contains("准予迁入证明 测试-1", text, StringComparison.Ordinal);
        Assert.Contains("第18条", text, StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "2-recorded");
        await Axe.AssertCleanAsync(page);

        // Recorded in error: withdrawn as a correction with its reason (no day asked), and nothing follows from it.
        await page.ClickAsync("[data-testid=fact-kind-withdrawn]");
        await page.Locator("[data-testid=fact-on]").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await page.FillAsync("input[data-testid=fact-document], [data-testid=fact-document] input", "户籍核查记录 测试-2");
        await page.FillAsync("input[data-testid=fact-reason], [data-testid=fact-reason] input, [data-testid=fact-reason] textarea", "迁入证明系他人");
        await page.ClickAsync("[data-testid=record-fact]");
        var withdrawn = page.Locator("[data-testid=holder-fact-row][data-current=true]", new() { HasText = "户籍核查记录 测试-2" });
        await withdrawn.WaitForAsync();
        var withdrawnText = await withdrawn.InnerTextAsync();
        Assert.Contains("撤销（记录有误）", withdrawnText, StringComparison.Ordinal);
        Assert.Contains("原记录有误", withdrawnText, StringComparison.Ordinal);
        await page.Locator("[data-testid=fact-kind-withdrawn]").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await BrowserApp.ShotAsync(page, test, "3-withdrawn");
        await Axe.AssertCleanAsync(page);
    }

    private async Task<Guid> DemoApplicationAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        return await db.Permits.AsNoTracking().Where(p => p.PersonName == "何志明" && p.Status == PermitStatus.Applied).Select(p => p.Id).FirstAsync();
    }

    /// <summary>
    /// A permit application waiting for review: registered 300 days ago (a permit needs half a year of residence), applied
    /// two days ago, each step through the real use cases on a clock set back to its day, as the demo seeder does.
    /// </summary>
    private async Task<Guid> ApplicationAsync(string name)
    {
        var time = app.Services.GetRequiredService<TimeProvider>();
        await using var registrationScope = app.Services.CreateAsyncScope();
        var reg = ActivatorUtilities.CreateInstance<RegistrationContext>(registrationScope.ServiceProvider, ClockAt(registrationScope, time, 300));
        var cases = reg.UseCases();
        var system = RegistrationContext.SystemActor("seed");
        var declared = await cases.DeclareAsync(new DeclareRegistrationCommand(Request(name, NewIdNumber("19920202"), reg.Clock.Today.AddDays(-2))), system, default);
        Assert.True(declared.Succeeded, declared.Failure?.Detail);
        var dto = declared.Value.Registration!;
        var confirmed = await cases.ConfirmAsync(new ConfirmRegistrationCommand(dto.Id, dto.Version, Station, StationName, "李警官"), system, default);
        Assert.True(confirmed.Succeeded, confirmed.Failure?.Detail);

        await using var permitScope = app.Services.CreateAsyncScope();
        var store = ActivatorUtilities.CreateInstance<PermitStore>(permitScope.ServiceProvider,
            (Sojourn.Application.Time.ILegalClock)ClockAt(permitScope, time, 2), new PolicyService(Evaluator.Default, new ShiftedTime(time, TimeSpan.FromDays(-2))));
        var applied = await ActivatorUtilities.CreateInstance<ApplyForPermitUseCase>(permitScope.ServiceProvider, store).HandleAsync(new ApplyForPermitCommand(
            dto.Id, null, store.TermsFor(Division)?.Materials.Select(m => m.Value).ToList() ?? [],
            new EligibilityFacts { SocialInsuranceMonths = 12, LaborContractMonths = 24, RentalContract = true }, "13800138000", false),
            permitScope.ServiceProvider.GetRequiredService<Sojourn.Application.Actors.CurrentActor>(), default);
        Assert.True(applied.Succeeded, applied.Failure?.Detail);
        return applied.Value.Id;
    }

    private static ChinaClock ClockAt(AsyncServiceScope scope, TimeProvider time, int daysAgo) =>
        new(new ShiftedTime(time, TimeSpan.FromDays(-daysAgo)), scope.ServiceProvider.GetRequiredService<IOptions<SojournOptions>>());

    private sealed class ShiftedTime(TimeProvider inner, TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + offset;
    }
}
