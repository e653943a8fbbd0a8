using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Sojourn.Web.Registration;

/// <summary>Every version of a registration, oldest first: declaration, confirmation, corrections, changes, departure.</summary>
public static class GetVersions
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/{id:guid}/versions", HandleAsync)
            .WithName("GetRegistrationVersions")
            .WithSummary("查看居住登记的全部历史版本")
            .ProducesProblem(StatusCodes.Status404NotFound);

    public static async Task<Results<Ok<IReadOnlyList<VersionDto>>, ProblemHttpResult>> HandleAsync(
        Guid id, RegistrationContext ctx, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var versions = await ctx.Db.RegistrationVersions.AsNoTracking()
            .Where(v => v.RegistrationId == id)
            .OrderBy(v => v.Number)
            .ToListAsync(cancellationToken);
        if (versions.Count == 0)
        {
            return RegistrationContext.NotFound();
        }

        return TypedResults.Ok<IReadOnlyList<VersionDto>>([.. versions.Select(v => v.ToDto(ctx))]);
    }
}
