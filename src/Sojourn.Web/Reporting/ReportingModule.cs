using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
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
internal static class ReportingModule
{
    public static IServiceCollection AddReporting(this IServiceCollection services)
    {
        services.AddScoped<ReportUseCases>();
        services.AddScoped<ReporterRooms>();
        services.AddScoped<ReportImportUseCases>();
        services.AddSingleton<ReportImportSignal>();
        services.AddSingleton<ReportImportWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ReportImportWorker>());
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

        // Batch files (CSV/XLSX): stored, then processed in the background; GET the import for its progress.
        group.MapPost("/imports", UploadAsync)
            .WithMetadata(new RequestSizeLimitAttribute(ReportImportUseCases.MaxFileBytes + (1024 * 1024)))
            .Accepts<IFormFile>("multipart/form-data")
            .WithName("UploadReportImport")
            .WithSummary("上传批量报送文件（CSV 或 XLSX；表单字段 establishmentId、file），后台逐批处理")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/imports", async (int? take, ReportImportUseCases cases, CurrentActor actor, HttpContext http, CancellationToken ct) =>
                (await cases.ListAsync(take ?? 20, actor, ct)).ToOk(http))
            .WithName("ListReportImports")
            .WithSummary("最近的批量导入");
        group.MapGet("/imports/{id:guid}", async (Guid id, ReportImportUseCases cases, CurrentActor actor, HttpContext http, CancellationToken ct) =>
                (await cases.GetAsync(id, actor, ct)).ToOk(http))
            .WithName("GetReportImport")
            .WithSummary("批量导入的状态和进度（已处理、已接收、重复、退回行数）")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/imports/{id:guid}/rejected", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (
                Guid id, ReportImportUseCases cases, CurrentActor actor, CancellationToken ct) =>
                (await cases.RejectedCsvAsync(id, actor, ct)).TryGetValue(out var csv, out var failure)
                    ? TypedResults.File(csv, "text/csv; charset=utf-8", $"rejected-{id:N}.csv")
                    : ApiProblems.Result(failure))
            .WithName("GetReportImportRejections")
            .WithSummary("退回的行（CSV：行号、列、原因）")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status404NotFound);
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

    /// <summary>A multipart form: <c>establishmentId</c> and <c>file</c>. 202 with the new import; 200 with the earlier one for the same file.</summary>
    private static async Task<Results<Accepted<ImportDto>, Ok<ImportDto>, ProblemHttpResult>> UploadAsync(
        HttpContext http, ReportImportUseCases cases, ReportImportSignal signal, CurrentActor actor, CancellationToken ct)
    {
        byte[] content = [];
        Guid? establishmentId = null;
        string? fileName = null;
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(ct);
            establishmentId = Guid.TryParse(form["establishmentId"], out var e) ? e : null;
            if (form.Files.GetFile("file") is { } file && file.Length <= ReportImportUseCases.MaxFileBytes)
            {
                fileName = file.FileName;
                using var buffer = new MemoryStream((int)file.Length);
                await file.CopyToAsync(buffer, ct);
                content = buffer.ToArray();
            }
        }

        var outcome = await cases.UploadAsync(new ImportUpload(establishmentId, fileName, content), actor, ct);
        if (!outcome.TryGetValue(out var import, out var failure))
        {
            return ApiProblems.Result(failure);
        }

        signal.Wake();
        return import.Existing ? TypedResults.Ok(import) : TypedResults.Accepted($"/api/v1/reports/imports/{import.Id}", import);
    }
}

/// <summary>
/// Demo establishments (Sojourn:Seed:Demo): the demo reporter answers for a building company (employer) in 太原市小店区
/// and is the agent of a landlord with a house of three rooms on 亲贤北街; a second demo account is a hotel clerk.
/// </summary>
internal sealed class ReportingDemoSeeder(SojournDbContext db, UserManager<SojournUser> users, IConfiguration configuration, TimeProvider time)
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
