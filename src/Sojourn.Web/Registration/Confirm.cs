using Microsoft.AspNetCore.Http.HttpResults;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Registration;

/// <summary>The station's confirmation in process (the permit demo seeder), on the use case; the endpoint is in <see cref="RegistrationEndpoints"/>.</summary>
public static class Confirm
{
    public static async Task<Results<Ok<RegistrationDto>, ProblemHttpResult>> HandleAsync(
        Guid id, ConfirmRequest request, int? expectedVersion, string actor, RegistrationContext ctx, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(ctx);
        var outcome = await ctx.UseCases().ConfirmAsync(
            new ConfirmRegistrationCommand(id, expectedVersion, request.StationCode, request.StationName, request.OfficerName),
            RegistrationContext.SystemActor(actor), cancellationToken);
        return outcome.TryGetValue(out var registration, out var failure) ? TypedResults.Ok(registration) : ApiProblems.Result(failure);
    }
}
