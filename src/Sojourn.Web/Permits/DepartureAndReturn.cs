using Sojourn.Application.Actors;

namespace Sojourn.Web.Permits;

/// <summary>POST …/departure and …/return: the holder leaves the city and perhaps comes back (DepartureAndReturnUseCase).</summary>
internal static class DepartureAndReturn
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/departure", async (Guid id, DepartureNoticeRequest? request, HttpContext http, DepartureAndReturnUseCase steps,
                CurrentActor actor, CancellationToken ct) =>
            {
                request ??= new DepartureNoticeRequest();
                return (await steps.DepartAsync(new NotifyDepartureCommand(id, EntityTags.ExpectedVersion(http, request.Version), request.LeftOn,
                    request.OldCardSurrendered, request.Reason), actor, ct)).ToOk(http, p => p.Version);
            })
            .WithName("NotifyPermitDeparture")
            .WithSummary("居住证持有人离开居住地（返回例外期内暂缓注销）")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);

        group.MapPost("/{id:guid}/return", async (Guid id, ReturnNoticeRequest? request, HttpContext http, DepartureAndReturnUseCase steps,
                CurrentActor actor, CancellationToken ct) =>
            {
                request ??= new ReturnNoticeRequest();
                return (await steps.ReturnAsync(new RecordReturnCommand(id, EntityTags.ExpectedVersion(http, request.Version), request.ReturnedOn,
                    request.Reason), actor, ct)).ToOk(http, p => p.Version);
            })
            .WithName("RecordPermitReturn")
            .WithSummary("返回登记居住地（返回例外期内不予注销）")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
    }
}

internal sealed record DepartureNoticeRequest : PermitStepRequest
{
    /// <summary>The day the holder left (or will leave, within the policy's period before leaving).</summary>
    public DateOnly? LeftOn { get; init; }

    public bool OldCardSurrendered { get; init; }

    public string? Reason { get; init; }
}

internal sealed record ReturnNoticeRequest : PermitStepRequest
{
    /// <summary>The day the holder came back (default today).</summary>
    public DateOnly? ReturnedOn { get; init; }

    public string? Reason { get; init; }
}
