using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sojourn.Data.Registrations;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Registration;

/// <summary>
/// Registrations of a jurisdiction, newest first: by residence division prefix (14 province, 1401 city,
/// 140105 county), station and status; paginated with the total. Served by the division and station indexes.
/// </summary>
public static class ListRegistrations
{
    private static readonly string[] Statuses = [RegistrationStatus.Declared, RegistrationStatus.Confirmed, RegistrationStatus.Ended];

    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/", HandleAsync)
            .WithName("ListRegistrations")
            .WithSummary("居住登记列表（按居住地区划、派出所、状态筛选，分页）")
            .ProducesProblem(StatusCodes.Status400BadRequest);

    public static async Task<Results<Ok<PageDto<RegistrationSummaryDto>>, ProblemHttpResult>> HandleAsync(
        RegistrationContext ctx,
        string? division,
        string? station,
        string? status,
        int? page,
        int? pageSize,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var errors = new FieldErrors();
        var max = ctx.Options.MaxPageSize;
        var size = pageSize ?? ctx.Options.DefaultPageSize;
        var number = page ?? 1;
        if (number < 1)
        {
            errors.Add("page", "Field_Positive", "page");
        }

        if (size < 1 || size > max)
        {
            errors.Add("pageSize", "Page_SizeRange", max);
        }

        if (division is not null && (division.Length is < 2 or > 6 || !division.All(char.IsAsciiDigit)))
        {
            errors.Add("division", "Division_Prefix");
        }

        if (status is not null && !Statuses.Contains(status))
        {
            errors.Add("status", "Field_OneOf", "status", string.Join(", ", Statuses));
        }

        if (errors.Any)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }

        var query = ctx.Db.Registrations.AsNoTracking();
        if (division is not null)
        {
            query = division.Length == 6
                ? query.Where(r => r.ResidenceDivisionCode == division)
                : query.Where(r => r.ResidenceDivisionCode.StartsWith(division));
        }

        if (!string.IsNullOrWhiteSpace(station))
        {
            query = query.Where(r => r.StationCode == station);
        }

        if (status is not null)
        {
            query = query.Where(r => r.Status == status);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderByDescending(r => r.DeclaredAt).ThenBy(r => r.Id)
            .Skip(Hosting.Paging.Skip(number, size)).Take(size)
            .Select(r => new RegistrationSummaryDto(
                r.Id, r.Status, r.Version, r.PersonName, r.PersonIdMasked, r.ResidenceDivisionCode,
                r.StationCode, r.CertificateNumber, r.ArrivedOn, r.DepartedOn, r.DeclaredAt))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new PageDto<RegistrationSummaryDto>(items, number, size, total));
    }
}
