using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Sojourn.Application.Actors;
using Sojourn.Application.Statistics;

namespace Sojourn.Web.Access.Statistics;

/// <summary>Aggregate statistics for the analyst: counts only, cells below the minimum size suppressed.</summary>
internal static class StatisticsApi
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/v1/statistics/registrations", StatisticsAsync).WithName("RegistrationStatistics")
            .WithTags("统计 Statistics").WithSummary("居住登记汇总（按区划、状态；小于最小单元数的格子不显示）");

    private static async Task<Ok<IReadOnlyList<StatisticsRow>>> StatisticsAsync(
        RegistrationStatisticsUseCase statistics, CurrentActor actor, IOptions<AccessOptions> options, CancellationToken cancellationToken) =>
        TypedResults.Ok((await statistics.HandleAsync(new RegistrationStatisticsQuery(options.Value.MinCellSize), actor, cancellationToken)).Value);
}
