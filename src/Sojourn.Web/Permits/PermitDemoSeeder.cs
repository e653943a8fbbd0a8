using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sojourn.Application.Actors;
using Sojourn.Domain;
using Sojourn.Rules.Evaluation;
using Sojourn.Web.Hosting;
using Sojourn.Web.Registration;

namespace Sojourn.Web.Permits;

/// <summary>
/// Demo permits for a fresh database (Sojourn:Seed:Demo): a holder whose endorsement window is open now,
/// an application waiting for review, and a refusal. A permit needs half a year of registered residence, so
/// each step runs through the real use cases on a clock set back to the day it happened.
/// </summary>
internal sealed class PermitDemoSeeder(IServiceProvider services, IConfiguration configuration, TimeProvider time, ILogger<PermitDemoSeeder> logger)
    : IStartupSeeder
{
    private sealed record Person(string Name, string Hukou, string Birth, int Serial, string Address, int RegisteredDaysAgo, int AppliedDaysAgo, string Outcome);

    private const string Division = "140105";
    private const string Station = "140105000001";
    private const string StationName = "太原市公安局小店分局亲贤派出所";

    private static readonly Person[] People =
    [
        // Issued 345 days ago: the first anniversary is near, so the endorsement window is open (reminders, /v/ page).
        new("郭晓红", "130102", "19900315", 62, "太原市小店区长风街道平阳路15号2单元301室", 600, 350, "issued"),
        new("何志明", "410105", "19880709", 77, "太原市小店区亲贤街道体育路201号", 300, 3, "applied"),
        new("冯春燕", "610113", "19970122", 48, "太原市小店区坞城街道学府街9号", 400, 20, "refused"),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        using var probe = services.CreateScope();
        var db = probe.ServiceProvider.GetRequiredService<Data.SojournDbContext>();
        if (!configuration.GetValue("Sojourn:Seed:Demo", false) || await db.Permits.AnyAsync(cancellationToken))
        {
            return;
        }

        var count = 0;
        foreach (var p in People)
        {
            if (await SeedOneAsync(p, cancellationToken))
            {
                count++;
            }
            else
            {
                logger.LogWarning("Demo permit {Index} was not seeded", count);
            }
        }

        logger.LogInformation("Seeded {Count} demo permits", count);
    }

    private async Task<bool> SeedOneAsync(Person p, CancellationToken ct)
    {
        var first17 = p.Hukou + p.Birth + p.Serial.ToString("D3", CultureInfo.InvariantCulture);
        var idNumber = first17 + CitizenId.ComputeCheckCharacter(first17);

        // The registration, declared and confirmed on the day it happened.
        using var registrationScope = services.CreateScope();
        var reg = ActivatorUtilities.CreateInstance<RegistrationContext>(registrationScope.ServiceProvider, ClockAt(registrationScope, p.RegisteredDaysAgo));
        var declared = await DeclareRegistration.HandleAsync(new DeclareRequest
        {
            Name = p.Name,
            IdNumber = idNumber,
            EthnicGroup = "01",
            HukouDivision = p.Hukou,
            HukouAddress = "户籍地址（演示）",
            ResidenceDivision = Division,
            ResidenceAddress = p.Address,
            Workplace = "太原市小店区某科技有限公司",
            Education = "21",
            Employment = "employed",
            SocialInsurance = ["pension", "medical"],
            MaritalStatus = "married",
            MarriageBirthCertificate = true,
            ArrivedOn = reg.Clock.Today.AddDays(-2),
            IntendedDays = 1095,
            Purpose = "work",
            Lodging = "rental",
            Declarant = new DeclarantInput("collector", "社区协管员 韩梅", "社区流动人口协管员"),
        }, "seed", reg, ct);
        if (declared.Result is not Created<RegistrationDto> { Value: { } dto })
        {
            return false;
        }

        var confirmed = await Confirm.HandleAsync(dto.Id, new ConfirmRequest(dto.Version, Station, StationName, "李警官"), dto.Version, "seed", reg, ct);
        if (confirmed.Result is not Ok<RegistrationDto>)
        {
            return false;
        }

        // The application and the station's decision, on their own days.
        using var permitScope = services.CreateScope();
        var applying = StoreAt(permitScope, p.AppliedDaysAgo);
        var applied = await UseCaseAt<ApplyForPermitUseCase>(permitScope, applying).HandleAsync(new ApplyForPermitCommand(
            dto.Id, null, applying.TermsFor(Division)?.Materials.Select(m => m.Value).ToList() ?? [],
            new EligibilityFacts { SocialInsuranceMonths = 12, LaborContractMonths = 24, RentalContract = true }, "13800138000", false),
            permitScope.ServiceProvider.GetRequiredService<CurrentActor>(), ct);
        if (!applied.TryGetValue(out var permit, out _))
        {
            return false;
        }

        if (p.Outcome == "applied")
        {
            return true;
        }

        using var decisionScope = services.CreateScope();
        var deciding = StoreAt(decisionScope, p.AppliedDaysAgo - 5);
        var actor = decisionScope.ServiceProvider.GetRequiredService<CurrentActor>();
        var decided = p.Outcome == "issued"
            ? await UseCaseAt<ApprovePermitUseCase>(decisionScope, deciding).HandleAsync(new ApprovePermitCommand(permit.Id, permit.Version), actor, ct)
            : await UseCaseAt<RefusePermitUseCase>(decisionScope, deciding).HandleAsync(new RefusePermitCommand(permit.Id, permit.Version,
                "提交的租赁合同与居住地址不符，无法证明合法稳定住所（演示）。", ["shanxi-2017#9"]), actor, ct);
        return decided.Succeeded;
    }

    /// <summary>A use case of the permit module on the shifted store of <paramref name="at"/>.</summary>
    private static T UseCaseAt<T>(IServiceScope scope, PermitStore at)
        where T : class => ActivatorUtilities.CreateInstance<T>(scope.ServiceProvider, at);

    private ChinaClock ClockAt(IServiceScope scope, int daysAgo) =>
        new(new ShiftedTime(time, TimeSpan.FromDays(-daysAgo)), scope.ServiceProvider.GetRequiredService<IOptions<SojournOptions>>());

    /// <summary>The permit store on the app's clock moved back <paramref name="daysAgo"/> days (the engine too).</summary>
    private PermitStore StoreAt(IServiceScope scope, int daysAgo)
    {
        var clock = ClockAt(scope, daysAgo);
        var shifted = new ShiftedTime(time, TimeSpan.FromDays(-daysAgo));
        return ActivatorUtilities.CreateInstance<PermitStore>(scope.ServiceProvider, (Application.Time.ILegalClock)clock, new PolicyService(Evaluator.Default, shifted));
    }

    /// <summary>The app's clock moved back: demo history happened on past days.</summary>
    private sealed class ShiftedTime(TimeProvider inner, TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + offset;
    }
}
