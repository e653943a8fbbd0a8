using Microsoft.AspNetCore.Http.HttpResults;
using Sojourn.Application.Actors;
using Sojourn.Data.Registrations;
using Sojourn.Web.Hosting;
using Sojourn.Web.Http;

namespace Sojourn.Web.Registration;

/// <summary>
/// The HTTP face of the registration use cases (<see cref="RegistrationUseCases"/>): each endpoint turns the request
/// into a command, calls the use case with the current actor and maps the outcome (200/201/202 or ProblemDetails,
/// ETag). Purpose, audit and transaction are the group's <see cref="PersonalDataFilter"/>.
/// </summary>
internal static class RegistrationEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/", DeclareAsync)
            .WithName("DeclareRegistration")
            .WithSummary("申报居住登记")
            .Produces<ReportReceivedDto>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{id:guid}/confirm", async (Guid id, ConfirmRequest request, HttpContext http, RegistrationUseCases cases, CurrentActor actor, CancellationToken ct) =>
                (await cases.ConfirmAsync(
                    new ConfirmRegistrationCommand(id, EntityTags.ExpectedVersion(http, request.Version), request.StationCode, request.StationName, request.OfficerName),
                    actor, ct)).ToOk(http, r => r.Version))
            .WithName("ConfirmRegistration")
            .WithSummary("派出所确认居住登记并签发居住登记凭证号")
            .ProducesUpdateProblems();

        group.MapPost("/{id:guid}/corrections", (Guid id, AmendRequest request, HttpContext http, RegistrationUseCases cases, CurrentActor actor, CancellationToken ct) =>
                AmendAsync(VersionKind.Correction, id, request, http, cases, actor, ct))
            .WithName("CorrectRegistration")
            .WithSummary("更正登记（登记信息错误）")
            .ProducesUpdateProblems();

        group.MapPost("/{id:guid}/changes", (Guid id, AmendRequest request, HttpContext http, RegistrationUseCases cases, CurrentActor actor, CancellationToken ct) =>
                AmendAsync(VersionKind.Change, id, request, http, cases, actor, ct))
            .WithName("ChangeRegistration")
            .WithSummary("变更登记（登记信息发生变动）")
            .Produces<ReportReceivedDto>(StatusCodes.Status202Accepted)
            .ProducesUpdateProblems();

        group.MapPost("/{id:guid}/departure", async (Guid id, DepartureRequest request, HttpContext http, RegistrationUseCases cases, CurrentActor actor, CancellationToken ct) =>
                (await cases.EndAsync(
                    new EndRegistrationCommand(id, EntityTags.ExpectedVersion(http, request.Version), request.DepartedOn, request.Reason, request.Declarant),
                    actor, ct)).ToOk(http, r => r.Version))
            .WithName("EndRegistration")
            .WithSummary("登记离开（终止居住）")
            .ProducesUpdateProblems();

        group.MapGet("/{id:guid}", async (Guid id, HttpContext http, RegistrationUseCases cases, CurrentActor actor, CancellationToken ct) =>
                (await cases.GetAsync(new GetRegistrationQuery(id), actor, ct)).ToOk(http, r => r.Version))
            .WithName("GetRegistration")
            .WithSummary("查看居住登记")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id:guid}/versions", async (Guid id, HttpContext http, RegistrationUseCases cases, CurrentActor actor, CancellationToken ct) =>
                (await cases.HistoryAsync(new RegistrationHistoryQuery(id), actor, ct)).ToOk(http))
            .WithName("GetRegistrationVersions")
            .WithSummary("查看居住登记的全部历史版本")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/", async (
                HttpContext http, RegistrationUseCases cases, CurrentActor actor, string? division, string? station, string? status, int? page, int? pageSize,
                string? dutyStatus, CancellationToken ct) =>
                (await cases.ListAsync(new ListRegistrationsQuery(division, station, status, page, pageSize) { DutyStatus = dutyStatus }, actor, ct)).ToOk(http))
            .WithName("ListRegistrations")
            .WithSummary("居住登记列表（按居住地区划、派出所、状态筛选，分页）")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapPost("/{id:guid}/photo", UploadPhotoAsync)
            .Accepts<Stream>("image/jpeg", "image/png")
            .WithName("UploadRegistrationPhoto")
            .WithSummary("上传近期照片（JPEG/PNG）")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);

        group.MapGet("/{id:guid}/photo", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (Guid id, RegistrationUseCases cases, CurrentActor actor, CancellationToken ct) =>
                (await cases.GetPhotoAsync(new RegistrationPhotoQuery(id), actor, ct)).TryGetValue(out var photo, out var failure)
                    ? TypedResults.File(photo.Content, photo.ContentType)
                    : ApiProblems.Result(failure))
            .WithName("GetRegistrationPhoto")
            .WithSummary("查看近期照片")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg")
            .ProducesProblem(StatusCodes.Status404NotFound);

        // The identity number travels in the body, not the query string, so access logs never hold it.
        group.MapPost("/search", async (SearchByIdNumberRequest request, HttpContext http, RegistrationUseCases cases, CurrentActor actor, CancellationToken ct) =>
                (await cases.SearchAsync(new SearchRegistrationsQuery(request.IdNumber), actor, ct)).ToOk(http))
            .WithName("SearchRegistrationsByIdNumber")
            .NotReplayed()
            .RequireRateLimiting(Access.AccessModule.IdLookupLimit)
            .WithSummary("按公民身份号码查找居住登记")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapPost("/search-by-name", async (SearchByNameRequest request, HttpContext http, RegistrationUseCases cases, CurrentActor actor, CancellationToken ct) =>
                (await cases.SearchByNameAsync(new SearchRegistrationsByNameQuery(request.Name, request.Page, request.PageSize), actor, ct)).ToOk(http))
            .WithName("SearchRegistrationsByName")
            .NotReplayed()
            .RequireRateLimiting(Access.AccessModule.IdLookupLimit)
            .WithSummary("按姓名（前缀，至少两个字）在本辖区内查找居住登记，分页；身份号码遮蔽")
            .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    /// <summary>The body of a search by name (in the body, like the identity number, so access logs never hold it).</summary>
    public sealed record SearchByNameRequest(string? Name, int? Page, int? PageSize);

    /// <summary>The body of a search by identity number.</summary>
    public sealed record SearchByIdNumberRequest(string? IdNumber);

    private static async Task<Results<Created<RegistrationDto>, Accepted<ReportReceivedDto>, ProblemHttpResult>> DeclareAsync(
        DeclareRequest request, HttpContext http, RegistrationUseCases cases, CurrentActor actor, CancellationToken ct)
    {
        var outcome = await cases.DeclareAsync(new DeclareRegistrationCommand(request), actor, ct);
        if (!outcome.TryGetValue(out var recorded, out var failure))
        {
            return ApiProblems.Result(failure);
        }

        if (recorded.Registration is not { } registration)
        {
            return ReportReceived();
        }

        EntityTags.SetETag(http, registration.Version);
        return TypedResults.Created($"/api/v1/registrations/{registration.Id}", registration);
    }

    private static async Task<Results<Ok<RegistrationDto>, Accepted<ReportReceivedDto>, ProblemHttpResult>> AmendAsync(
        string kind, Guid id, AmendRequest request, HttpContext http, RegistrationUseCases cases, CurrentActor actor, CancellationToken ct)
    {
        var outcome = await cases.AmendAsync(
            new AmendRegistrationCommand(id, kind, EntityTags.ExpectedVersion(http, request.Version), request.Reason, request.Declarant, request.Changes),
            actor, ct);
        if (!outcome.TryGetValue(out var recorded, out var failure))
        {
            return ApiProblems.Result(failure);
        }

        if (recorded.Registration is not { } registration)
        {
            return ReportReceived();
        }

        EntityTags.SetETag(http, registration.Version);
        return TypedResults.Ok(registration);
    }

    /// <summary>近期照片: the raw request body (Content-Type image/jpeg or image/png, If-Match required), read up to the limit.</summary>
    private static async Task<Results<Ok<PhotoDto>, ProblemHttpResult>> UploadPhotoAsync(
        Guid id, HttpContext http, RegistrationUseCases cases, CurrentActor actor, CancellationToken ct)
    {
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        var content = mediaType is "image/jpeg" or "image/png" or "application/octet-stream"
            ? await ReadAtMostAsync(http.Request.Body, cases.Options.PhotoMaxBytes + 1, ct)
            : [];
        return (await cases.UploadPhotoAsync(
            new UploadRegistrationPhotoCommand(id, EntityTags.ExpectedVersion(http, null), mediaType, content), actor, ct)).ToOk(http, p => p.Version);
    }

    /// <summary>The receipt a reporter gets when a registration they cannot see already covers the report.</summary>
    internal static Accepted<ReportReceivedDto> ReportReceived() =>
        TypedResults.Accepted((string?)null, new ReportReceivedDto("received", Messages.Get("Registration_ReportReceived_Detail")));

    private static async Task<byte[]> ReadAtMostAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while (buffer.Length < limit && (read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, (int)Math.Min(read, limit - buffer.Length));
        }

        return buffer.ToArray();
    }
}
