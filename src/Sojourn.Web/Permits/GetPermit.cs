using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sojourn.Application.Actors;
using Sojourn.Web.Http;

namespace Sojourn.Web.Permits;

/// <summary>Reads: one permit and its history (GetPermitUseCase), the station's list, and the migrant's own permits.</summary>
public static class GetPermit
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

        group.MapGet("/", async (string? status, int? page, int? pageSize, PermitContext ctx, CancellationToken ct) =>
            {
                var size = Math.Clamp(pageSize ?? 50, 1, 200);
                var number = Math.Max(page ?? 1, 1);
                var query = ctx.Db.Permits.AsNoTracking();
                if (!string.IsNullOrEmpty(status))
                {
                    query = query.Where(p => p.Status == status);
                }

                // The review queue reads best by deadline: the nearest issuance or endorsement deadline first.
                var items = await query.OrderBy(p => p.Status == Data.Permits.PermitStatus.Applied ? p.IssueDue : p.EndorsementDue)
                    .ThenBy(p => p.Id)
                    .Skip(Hosting.Paging.Skip(number, size)).Take(size).ToListAsync(ct);
                var total = await query.CountAsync(ct);
                return TypedResults.Ok(new PermitPage(items.Select(ctx.ToDto).ToList(), number, size, total));
            })
            .WithName("ListPermits")
            .WithSummary("辖区居住证列表（按期限排序）");

        // A migrant's own permits and applications, newest first (the data layer's filter keeps it to their own).
        group.MapGet("/mine", async (PermitContext ctx, CancellationToken ct) =>
            {
                var items = await ctx.Db.Permits.AsNoTracking().OrderByDescending(p => p.CreatedAt).Take(50).ToListAsync(ct);
                return TypedResults.Ok(items.Select(ctx.ToDto).ToList());
            })
            .WithName("MyPermits")
            .WithSummary("本人的居住证及申领记录");
    }
}

public sealed record PermitPage(IReadOnlyList<PermitDto> Items, int Page, int PageSize, int Total);
