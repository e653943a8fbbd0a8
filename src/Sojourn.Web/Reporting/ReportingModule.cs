using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Sojourn.Application.Actors;
using Sojourn.Application.Reporting;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Reporting;
using Sojourn.Web.Hosting;
using Sojourn.Web.Http;

namespace Sojourn.Web.Reporting;

/// <summary>Reporting by landlords, agencies, employers, markets and institutions: /api/v1/reports (docs/adr/0008-reporting.md).</summary>
public static class ReportingModule
{
    public static IServiceCollection AddReporting(this IServiceCollection services)
    {
        services.AddScoped<ReportUseCases>();
        services.AddScoped<ReporterRooms>();
        services.AddScoped<IStartupSeeder, ReportingDemoSeeder>();
        services.AddTipOffs();
        return services;
    }

    public static IEndpointRouteBuilder MapReporting(this IEndpointRouteBuilder app)
    {
        // Purpose check, one transaction and the audit entries the use case declared, as for registrations.
        var group = app.MapGroup("/api/v1/reports").WithTags("第三方报送 Reporting")
            .WithPersonalDataAudit(PersonalDataRoute.Registration);

        group.MapGet("/establishments", async (ReportUseCases cases, CurrentActor actor, HttpContext http, CancellationToken ct) =>
                (await cases.MyEstablishmentsAsync(actor, ct)).ToOk(http))
            .WithName("ListMyEstablishments")
            .WithSummary("本账号负责报送的单位、房屋");

        group.MapPost("/", SubmitAsync)
            .WithName("SubmitReport")
            .WithSummary("报送流动人口入住、招用、入驻或离开、解除劳动关系（是否逾期由规则引擎按政策判定）")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/", async (Guid? establishmentId, int? take, ReportUseCases cases, CurrentActor actor, HttpContext http, CancellationToken ct) =>
                (await cases.ListAsync(establishmentId, take ?? 100, actor, ct)).ToOk(http))
            .WithName("ListReports")
            .WithSummary("已报送记录（含是否按期及法律依据）");
        app.MapTipOffs();
        return app;
    }

    private static async Task<Results<Created<ReportDto>, Ok<ReportDto>, ProblemHttpResult>> SubmitAsync(
        ReportRequest request, ReportUseCases cases, CurrentActor actor, CancellationToken ct)
    {
        var outcome = await cases.ReportAsync(new ReportCommand(request), actor, ct);
        if (!outcome.TryGetValue(out var report, out var failure))
        {
            return ApiProblems.Result(failure);
        }

        // A repeat of a report already received creates nothing and answers with the first one.
        return report.Repeated ? TypedResults.Ok(report) : TypedResults.Created($"/api/v1/reports/{report.Id}", report);
    }
}

/// <summary>
/// Demo establishments (Sojourn:Seed:Demo): the demo reporter answers for a building company (employer) in 太原市小店区
/// and is the agent of a landlord with a house of three rooms on 亲贤北街; a second demo account is a hotel clerk.
/// </summary>
public sealed class ReportingDemoSeeder(SojournDbContext db, UserManager<SojournUser> users, IConfiguration configuration, TimeProvider time)
    : IStartupSeeder
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Sojourn:Seed:Demo", false) || await db.Establishments.AnyAsync(cancellationToken))
        {
            return;
        }

        var reporter = await users.FindByNameAsync("demo-reporter");
        if (reporter is null)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var employer = Establishment.Create(Guid.CreateVersion7(), "91140105MA0DEMO01X", "太原市小店区某建筑工程有限公司",
            EstablishmentKind.Employer, "organization", "140105", "140105000001", "太原市小店区亲贤北街100号", now);
        var landlord = Establishment.Create(Guid.CreateVersion7(), "L140105000001", "王房东（亲贤北街88号）",
            EstablishmentKind.Landlord, "individual", "140105", "140105000001", "太原市小店区亲贤北街88号", now);
        db.Establishments.AddRange(employer, landlord);
        db.EstablishmentReporters.AddRange(
            new EstablishmentReporter { EstablishmentId = employer.Id, AccountId = reporter.Id, LinkedAt = now },
            new EstablishmentReporter { EstablishmentId = landlord.Id, AccountId = reporter.Id, LinkedAt = now });
        var house = new House { Id = Guid.CreateVersion7(), Code = "H1401050000088", DivisionCode = "140105", Address = "太原市小店区亲贤北街88号", LandlordId = landlord.Id, CreatedAt = now };
        db.Houses.Add(house);
        foreach (var number in new[] { "101", "102", "201" })
        {
            db.Rooms.Add(new Room { Id = Guid.CreateVersion7(), HouseId = house.Id, Number = number });
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
