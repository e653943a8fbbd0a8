using Microsoft.AspNetCore.Http.HttpResults;
using Sojourn.Web.Hosting;
using Sojourn.Web.Http;

namespace Sojourn.Web.Registration;

/// <summary>终止居住: the person left the residence; the stay ends and a new one may be declared.</summary>
public static class Depart
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/{id:guid}/departure", async (Guid id, DepartureRequest request, HttpContext http, RegistrationContext ctx, CancellationToken ct) =>
            {
                return Http.EntityTags.WithETag(http, await HandleAsync(id, request, Http.EntityTags.ExpectedVersion(http, request.Version), Access.ClaimsActorSource.Label(http), ctx, ct));
            })
            .WithName("EndRegistration")
            .WithSummary("登记离开（终止居住）")
            .ProducesUpdateProblems();

    public static async Task<Results<Ok<RegistrationDto>, ProblemHttpResult>> HandleAsync(
        Guid id, DepartureRequest request, int? expectedVersion, string actor, RegistrationContext ctx, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(ctx);
        ProblemHttpResult? failure = null;
        var loaded = await ctx.LoadForUpdateAsync(id, expectedVersion, p => failure = p, cancellationToken);
        if (loaded is not { } l)
        {
            return failure!;
        }

        var (registration, current) = l;
        var errors = new FieldErrors();
        if (request.DepartedOn is not { } departedOn)
        {
            errors.Add("departedOn", "Field_Required", Messages.Get("Label_DepartedOn"));
        }
        else if (departedOn > ctx.Clock.Today)
        {
            errors.Add("departedOn", "Field_InFuture", Messages.Get("Label_DepartedOn"));
        }
        else if (departedOn < current.Record.ArrivedOn)
        {
            errors.Add("departedOn", "Departure_BeforeArrival");
        }

        if (request.Reason is { Length: > 200 })
        {
            errors.Add("reason", "Field_TooLong", Messages.Get("Label_Reason"), 200);
        }

        var declarant = ctx.ResolveDeclarant(request.Declarant, current.Record.Name, "declarant.", errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }

        var version = registration.Depart(current.Record, request.DepartedOn!.Value, declarant, request.Reason?.Trim(), actor, ctx.Clock.UtcNow);
        ctx.Db.RegistrationVersions.Add(version);
        if (await ctx.SaveAsync(registration, null, cancellationToken) is { } problem)
        {
            return problem;
        }

        return TypedResults.Ok(registration.ToDto(version, ctx));
    }
}
