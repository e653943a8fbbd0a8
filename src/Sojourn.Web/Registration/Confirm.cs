using Microsoft.AspNetCore.Http.HttpResults;
using Sojourn.Data.Registrations;
using Sojourn.Web.Hosting;
using Sojourn.Web.Http;

namespace Sojourn.Web.Registration;

/// <summary>
/// The police station of the residence confirms the declaration and issues the 居住登记凭证号. The
/// station code is a 12-digit public-security organ code whose first six digits are the residence division.
/// </summary>
public static class Confirm
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/{id:guid}/confirm", async (Guid id, ConfirmRequest request, HttpContext http, RegistrationContext ctx, CancellationToken ct) =>
            {
                return Http.EntityTags.WithETag(http, await HandleAsync(id, request, Http.EntityTags.ExpectedVersion(http, request.Version), Access.ClaimsActorSource.Label(http), ctx, ct));
            })
            .WithName("ConfirmRegistration")
            .WithSummary("派出所确认居住登记并签发居住登记凭证号")
            .ProducesUpdateProblems();

    public static async Task<Results<Ok<RegistrationDto>, ProblemHttpResult>> HandleAsync(
        Guid id, ConfirmRequest request, int? expectedVersion, string actor, RegistrationContext ctx, CancellationToken cancellationToken)
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
        if (registration.Status == RegistrationStatus.Confirmed)
        {
            return ApiProblems.Result(ErrorCode.AlreadyConfirmed, Messages.Get("Error_AlreadyConfirmed_Detail"));
        }

        var errors = new FieldErrors();
        var stationCode = request.StationCode?.Trim();
        if (string.IsNullOrEmpty(stationCode))
        {
            errors.Add("stationCode", "Field_Required", Messages.Get("Label_StationCode"));
        }
        else if (stationCode.Length != 12 || !stationCode.All(char.IsAsciiDigit))
        {
            errors.Add("stationCode", "Station_Format");
        }
        else if (!stationCode.StartsWith(registration.ResidenceDivisionCode, StringComparison.Ordinal))
        {
            errors.Add("stationCode", "Station_NotOfResidence", registration.ResidenceDivisionCode);
        }

        var stationName = request.StationName?.Trim();
        if (string.IsNullOrEmpty(stationName))
        {
            errors.Add("stationName", "Field_Required", Messages.Get("Label_StationName"));
        }
        else if (stationName.Length > Data.Validation.ColumnLengths.StationName)
        {
            errors.Add("stationName", "Field_TooLong", Messages.Get("Label_StationName"), Data.Validation.ColumnLengths.StationName);
        }

        var officer = request.OfficerName?.Trim();
        if (string.IsNullOrEmpty(officer))
        {
            errors.Add("officerName", "Field_Required", Messages.Get("Label_OfficerName"));
        }
        else if (officer.Length > Data.Validation.ColumnLengths.DeclarantName)
        {
            errors.Add("officerName", "Field_TooLong", Messages.Get("Label_OfficerName"), Data.Validation.ColumnLengths.DeclarantName);
        }

        if (errors.Any)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }

        RegistrationVersion? version = null;
        var problem = await ctx.SaveAsync(registration, async () =>
        {
            var number = await CertificateNumbers.NextAsync(ctx.Db, registration.ResidenceDivisionCode, ctx.Clock.Today.Year, cancellationToken);
            version = registration.Confirm(current.Record, stationCode!, stationName!, number,
                new Declarant("officer", officer!, "民警"), actor, ctx.Clock.UtcNow);
            ctx.Db.RegistrationVersions.Add(version);
        }, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return TypedResults.Ok(registration.ToDto(version!, ctx));
    }
}
