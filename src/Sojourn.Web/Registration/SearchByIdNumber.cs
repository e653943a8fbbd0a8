using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sojourn.Domain;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Registration;

/// <summary>
/// Every stay of one person, found by the keyed SM3 hash of the identity number (exact match, no
/// decryption). The number travels in the body, not the query string, so access logs never hold it.
/// </summary>
public static class SearchByIdNumber
{
    public sealed record Request(string? IdNumber);

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/search", HandleAsync)
            .WithName("SearchRegistrationsByIdNumber")
            .NotReplayed()
            .RequireRateLimiting(Access.AccessModule.IdLookupLimit)
            .WithSummary("按公民身份号码查找居住登记")
            .ProducesProblem(StatusCodes.Status400BadRequest);

    public static async Task<Results<Ok<IReadOnlyList<RegistrationSummaryDto>>, ProblemHttpResult>> HandleAsync(
        Request request, RegistrationContext ctx, HttpContext http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(http);
        if (!CitizenId.TryParse(request.IdNumber, ctx.Clock.Today, out var id, out var error))
        {
            return ApiProblems.Validation("idNumber", RecordValidator.DescribeIdError(error));
        }

        var hash = ctx.Protector.LookupHash(id.Value);
        // The access filter audits the search even when nothing is found (under this hash, never the number).
        http.Items[Access.AuditRecorder.SearchedPersonKey] = hash;
        var items = await ctx.Db.Registrations.AsNoTracking()
            .Where(r => r.PersonIdHmac == hash)
            .OrderByDescending(r => r.DeclaredAt)
            .Select(r => new RegistrationSummaryDto(
                r.Id, r.Status, r.Version, r.PersonName, r.PersonIdMasked, r.ResidenceDivisionCode,
                r.StationCode, r.CertificateNumber, r.ArrivedOn, r.DepartedOn, r.DeclaredAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<RegistrationSummaryDto>>(items);
    }
}
