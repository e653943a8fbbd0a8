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
    private static int _serial = 700;

    [SkippableFact]
    public async Task Officer_DecidesAFineWithinTheRange_AndPrintsThePenaltyDecision()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(Officer_DecidesAFineWithinTheRange_AndPrintsThePenaltyDecision);
        var (registrationId, _) = await DeclareAsync("钱立新", arrivedDaysAgo: 40);
        var swept = await SweepAsync();
        Assert.True(swept.Opened >= 1);
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
    /// A landlord's unreported tenant as the report source of the sweep opens it (山西2017 第十四条 duty, 第三十四条 fine
    /// 100–300 元): the person cases the sweep opens today carry no fine under 山西2017, so the fine is shown on this one.
    /// </summary>
    private async Task<long> LandlordCaseAsync(Guid registrationId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var stay = await db.Registrations.IgnoreQueryFilters().SingleAsync(r => r.Id == registrationId);
        var now = DateTime.UtcNow;
        var today = DateOnly.FromDateTime(now);
        var c = new ComplianceCase
        {
            DutyKey = $"registration:{stay.Id}:landlord.report-tenant",
            Source = "report",
            SubjectId = stay.Id,
            RegistrationId = stay.Id,
            PersonIdHmac = stay.PersonIdHmac,
            ResidenceDivisionCode = stay.ResidenceDivisionCode,
            StationCode = stay.StationCode,
            Duty = "landlord.report-tenant",
            Party = "landlord",
            DutyBasis = "shanxi-2017#14",
            Due = stay.ArrivedOn.AddDays(10),
            DutyStatus = "overdue",
            OrderToCorrect = true,
            FineMin = 100,
            FineMax = 300,
            SanctionBasis = "shanxi-2017#34",
            Policies = "shanxi-2017",
            Engine = stay.RegistrationEngine ?? "{\"version\":\"1.0.0\",\"policyHashes\":{}}",
            OpenedOn = today,
            OpenedAt = now,
            OpenedBy = "sweep",
            UpdatedAt = now,
            Version = 1,
        };
        db.ComplianceCases.Add(c);
        await db.SaveChangesAsync();
        db.ComplianceCaseEvents.Add(new ComplianceCaseEvent { CaseId = c.Id, Number = 1, Kind = CaseEventKind.Opened, On = today, At = now, Actor = "sweep", State = CaseState.New, Basis = c.DutyBasis });
        await db.SaveChangesAsync();
        return c.Id;
    }

    /// <summary>A stay declared 40 days after arrival (as the collector's app would): met late, so the sweep opens a case.</summary>
    private async Task<(Guid Id, string IdNumber)> DeclareAsync(string name, int arrivedDaysAgo)
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
            ResidenceAddress = $"太原市小店区测试街{idNumber[^4..]}号",
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
