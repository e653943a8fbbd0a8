using Microsoft.AspNetCore.Http.HttpResults;

namespace Sojourn.Web.Registration;

/// <summary>The registration as it stands now, with its ETag for the next update.</summary>
public static class GetRegistration
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/{id:guid}", HandleAsync)
            .WithName("GetRegistration")
            .WithSummary("查看居住登记")
            .ProducesProblem(StatusCodes.Status404NotFound);

    public static async Task<Results<Ok<RegistrationDto>, ProblemHttpResult>> HandleAsync(
        Guid id, HttpContext http, RegistrationContext ctx, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var loaded = await ctx.LoadAsync(id, cancellationToken);
        if (loaded is not { } l)
        {
            return RegistrationContext.NotFound();
        }

        Http.EntityTags.SetETag(http, l.Registration.Version);
        return TypedResults.Ok(l.Registration.ToDto(l.Current, ctx));
    }
}
