using Microsoft.AspNetCore.Http.HttpResults;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Registration;

/// <summary>申报居住登记 in process (the permit demo seeder), on the use case; the endpoint is in <see cref="RegistrationEndpoints"/>.</summary>
internal static class DeclareRegistration
{
    public static async Task<Results<Created<RegistrationDto>, Accepted<ReportReceivedDto>, ProblemHttpResult>> HandleAsync(
        DeclareRequest request, string actor, RegistrationContext ctx, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var outcome = await ctx.UseCases().DeclareAsync(new DeclareRegistrationCommand(request), RegistrationContext.SystemActor(actor), cancellationToken);
        if (!outcome.TryGetValue(out var recorded, out var failure))
        {
            return ApiProblems.Result(failure);
        }

        return recorded.Registration is { } registration
            ? TypedResults.Created($"/api/v1/registrations/{registration.Id}", registration)
            : RegistrationEndpoints.ReportReceived();
    }
}
