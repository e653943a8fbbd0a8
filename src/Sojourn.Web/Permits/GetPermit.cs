using Sojourn.Application.Actors;
using Sojourn.Web.Http;

namespace Sojourn.Web.Permits;

/// <summary>Reads (GetPermitUseCase): one permit and its history, the station's list, and the migrant's own permits.</summary>
internal static class GetPermit
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}", async (Guid id, HttpContext http, GetPermitUseCase permits, CurrentActor actor, CancellationToken ct) =>
                (await permits.HandleAsync(new GetPermitQuery(id), actor, ct)).ToOk(http, p => p.Version))
            .WithName("GetPermit")
            .WithSummary("查看居住证")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{id:guid}/history", async (Guid id, HttpContext http, GetPermitUseCase permits, CurrentActor actor, CancellationToken ct) =>
                (await permits.HistoryAsync(new GetPermitQuery(id), actor, ct)).ToOk(http))
            .WithName("GetPermitHistory")
            .WithSummary("居住证办理记录（只增不改）")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/", async (string? status, int? page, int? pageSize, HttpContext http, GetPermitUseCase permits, CurrentActor actor, CancellationToken ct) =>
                (await permits.ListAsync(new ListPermitsQuery(status, page, pageSize), actor, ct)).ToOk(http))
            .WithName("ListPermits")
            .WithSummary("辖区居住证列表（按期限排序）");

        group.MapGet("/mine", async (HttpContext http, GetPermitUseCase permits, CurrentActor actor, CancellationToken ct) =>
                (await permits.MineAsync(actor, ct)).ToOk(http))
            .WithName("MyPermits")
            .WithSummary("本人的居住证及申领记录");
    }
}
