using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Application.Actors;
using Sojourn.Application.Compliance;
using Sojourn.Application.Registrations;
using Sojourn.Data;
using Sojourn.Data.Compliance;
using Sojourn.Domain;
using Sojourn.TestSupport;
using Sojourn.Web.Registration;

namespace Sojourn.Browser.Tests;

/// <summary>
/// The officer's compliance screens and the house view: the worklist after a sweep, a case with its basis and allowed
/// sanction, a fine outside the range refused with the range and its article, a fine inside it recorded, the penalty
/// decision read back from the PDF; and the demo house with its residents.
/// </summary>
public sealed class CaseTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string Division = "140105";

    // A room of the demo house (ReportingModule's seed: 王房东, 亲贤北街88号, rooms 101, 102, 201) no other test lets.
    private const string LandlordRoom = "太原市小店区亲贤北街88号102室";
    private static int _serial = 700;

    [SkippableFact]
    public async Task Officer_DecidesAFineWithinTheRange_AndPrintsThePenaltyDecision()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(Officer_DecidesAFineWithinTheRange_AndPrintsThePenaltyDecision);
        // A stay in a room of the demo landlord's house that the landlord never reported: the sweep's report source
        // opens the landlord's case itself (山西2017 第十四条 duty, 第三十四条 fine 100–300 元), beside the person's own.
        var (registrationId, _) = await DeclareAsync("钱立新", arrivedDaysAgo: 40, address: LandlordRoom);
        var swept = await SweepAsync();
        Assert.True(swept.OpenedBySource.GetValueOrDefault(ReportComplianceSource.SourceName) >= 1, "the landlord's case was opened by the sweep");
        var caseId = await LandlordCaseAsync(registrationId);

        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "demo-officer");
        await page.WaitForURLAsync("**/station");
        await BrowserApp.StatePurposeAsync(page);
        await page.ClickAsync("[data-testid=open-cases]");
        await page.WaitForURLAsync("**/station/cases");
        await BrowserApp.WaitForInteractiveAsync(page);
        var row = page.Locator($"[data-testid=case-row][data-id='{caseId}']");
        await row.WaitForAsync();
        var rowText = await row.InnerTextAsync();
        Assert.Contains("钱立新", rowText, StringComparison.Ordinal);
        Assert.Contains("出租人", rowText, StringComparison.Ordinal);
        Assert.Contains("已逾期", rowText, StringComparison.Ordinal);
        Assert.True(await page.Locator("[data-testid=case-row]").CountAsync() >= 2, "the sweep's own case is listed too");
        await BrowserApp.ShotAsync(page, test, "1-worklist");
        await Axe.AssertCleanAsync(page);

        await row.Locator("[data-testid=open-case]").ClickAsync();
        await page.WaitForURLAsync($"**/station/cases/{caseId}");
        await page.Locator("[data-testid=decision-form]").WaitForAsync();
        Assert.Contains("第34条", await page.InnerTextAsync("[data-testid=sanction-basis]"), StringComparison.Ordinal);
        Assert.Contains("100", await page.InnerTextAsync("[data-testid=sanction-fine]"), StringComparison.Ordinal);
        Assert.Contains("1.0.0", await page.InnerTextAsync("[data-testid=engine]"), StringComparison.Ordinal);
        Assert.Contains("第14条", await page.InnerTextAsync("[data-testid=duty-basis]"), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "2-case");
        await Axe.AssertCleanAsync(page);

        // The decisions in their order: warning, fine, dismissed.
        await page.Locator("[data-testid=decision-form] input[type=radio]").Nth(1).CheckAsync(new() { Force = true });
        var amount = page.Locator("[data-testid=decision-form] input[inputmode=numeric], [data-testid=decision-form] input[type=number], [data-testid=decision-form] input[type=text]").First;
        await amount.FillAsync("1000");
        await page.ClickAsync("[data-testid=decide]");
        var refusal = page.Locator("[data-testid=failure][data-error-code='70003']");
        await refusal.WaitForAsync();
        var refused = await refusal.InnerTextAsync();
        Assert.Contains("100 元以上 300 元以下", refused, StringComparison.Ordinal);
        Assert.Contains("第三十四条", refused, StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "3-refused");
        await Axe.AssertCleanAsync(page);

        await amount.FillAsync("200");
        await page.ClickAsync("[data-testid=decide]");
        await page.Locator("[data-testid=done]").WaitForAsync();
        await page.Locator("[data-state=closed]").WaitForAsync();
        Assert.Contains("200", await page.InnerTextAsync("[data-testid=outcome]"), StringComparison.Ordinal);
        Assert.Equal(2, await page.Locator("[data-testid=case-event]").CountAsync());
        await BrowserApp.ShotAsync(page, test, "4-decided");
        await Axe.AssertCleanAsync(page);

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-testid=penalty-decision]"));
        var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4), StringComparison.Ordinal);
        var text = PdfText.Read(bytes);
        Assert.Contains("行政处罚决定书", text, StringComparison.Ordinal);
        Assert.Contains("钱立新", text, StringComparison.Ordinal);
        Assert.Contains("200元", text, StringComparison.Ordinal);
        Assert.Contains("行政复议", text, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task HouseView_ShowsTheDemoHouseAndItsResidents()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(HouseView_ShowsTheDemoHouseAndItsResidents);
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "demo-officer");
        await page.WaitForURLAsync("**/station");
        await BrowserApp.StatePurposeAsync(page);
        await page.ClickAsync("[data-testid=open-houses]");
        await page.WaitForURLAsync("**/station/houses");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.FillAsync("[data-testid=house-search] input, input[data-testid=house-search]", "亲贤北街88号");
        await page.ClickAsync("[data-testid=house-search-run]");
        await page.Locator("[data-testid=house-row]").First.WaitForAsync();
        await BrowserApp.ShotAsync(page, test, "1-found");
        await Axe.AssertCleanAsync(page);

        await page.Locator("[data-testid=open-house]").First.ClickAsync();
        await page.Locator("[data-testid=house]").WaitForAsync();
        Assert.Equal("H1401050000088", (await page.InnerTextAsync("[data-testid=house-code]")).Trim());
        Assert.Contains("王房东", await page.InnerTextAsync("[data-testid=house-landlord]"), StringComparison.Ordinal);
        Assert.Contains("101", await page.InnerTextAsync("[data-testid=house-rooms]"), StringComparison.Ordinal);
        var current = await page.InnerTextAsync("[data-testid=house-current]");
        Assert.Contains("王建国", current, StringComparison.Ordinal);
        Assert.Contains("*", current, StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "2-house");
        await Axe.AssertCleanAsync(page);

        // 以人找房: from the resident to the places they have lived, back to the house.
        await page.Locator("[data-testid=house-current] a").First.ClickAsync();
        await page.Locator("[data-testid=person-place]").First.WaitForAsync();
        Assert.Contains("H1401050000088", await page.InnerTextAsync("[data-testid=person-places]"), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "3-person-places");
        await Axe.AssertCleanAsync(page);
    }

    /// <summary>The nightly sweep, run as the job runs it (trusted, every jurisdiction).</summary>
    private async Task<ComplianceSweepResult> SweepAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var actor = scope.ServiceProvider.GetRequiredService<CurrentActor>();
        actor.Set(ActorIdentity.System("sweep"));
        var outcome = await scope.ServiceProvider.GetRequiredService<ComplianceSweepUseCase>().HandleAsync(actor, default);
        Assert.True(outcome.Succeeded, outcome.Failure?.Detail);
        return outcome.Value;
    }

    /// <summary>
    /// The case the sweep opened against the landlord for this stay (source <c>report</c>, duty landlord.report-tenant):
    /// the person cases the sweep opens carry no fine under 山西2017 (第三十三条), the landlord's do (第三十四条).
    /// </summary>
    private async Task<long> LandlordCaseAsync(Guid registrationId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var c = await db.ComplianceCases.IgnoreQueryFilters().AsNoTracking()
            .SingleAsync(x => x.RegistrationId == registrationId && x.Source == ReportComplianceSource.SourceName);
        Assert.Equal("landlord.report-tenant", c.Duty);
        Assert.Equal("landlord", c.Party);
        Assert.Equal(CaseState.New, c.State);
        Assert.Equal(1, await db.ComplianceCaseEvents.IgnoreQueryFilters().CountAsync(e => e.CaseId == c.Id && e.Kind == CaseEventKind.Opened));
        return c.Id;
    }

    /// <summary>A stay declared 40 days after arrival (as the collector's app would): met late, so the sweep opens a case.</summary>
    private async Task<(Guid Id, string IdNumber)> DeclareAsync(string name, int arrivedDaysAgo, string? address = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var ctx = scope.ServiceProvider.GetRequiredService<RegistrationContext>();
        var serial = Interlocked.Increment(ref _serial);
        var first17 = "130102" + "19880303" + serial.ToString("D3", CultureInfo.InvariantCulture);
        var idNumber = first17 + CitizenId.ComputeCheckCharacter(first17);
        var declared = await ctx.UseCases().DeclareAsync(new DeclareRegistrationCommand(new DeclareRequest
        {
            Name = name,
            IdNumber = idNumber,
            EthnicGroup = "01",
            HukouDivision = "130102",
            HukouAddress = "河北省石家庄市长安区测试路2号",
            ResidenceDivision = Division,
            ResidenceAddress = address ?? $"太原市小店区测试街{idNumber[^4..]}号",
            Workplace = "太原市小店区某科技有限公司",
            Education = "21",
            Employment = "employed",
            SocialInsurance = ["pension", "medical"],
            MaritalStatus = "married",
            MarriageBirthCertificate = true,
            ArrivedOn = ctx.Clock.Today.AddDays(-arrivedDaysAgo),
            IntendedDays = 365,
            Purpose = "work",
            Lodging = "rental",
            Declarant = new DeclarantInput("collector", "社区协管员 韩梅", "社区流动人口协管员"),
        }), RegistrationContext.SystemActor("collector:test-collector"), default);
        Assert.True(declared.Succeeded, declared.Failure?.Detail + string.Join("; ", (declared.Failure?.Errors ?? new Dictionary<string, string[]>()).Select(e => e.Key + ": " + string.Join(",", e.Value))));
        return (declared.Value.Registration!.Id, idNumber);
    }
}
