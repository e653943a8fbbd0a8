using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sojourn.Data.Permits;
using Sojourn.Data.Registrations;
using Sojourn.Rules.Divisions;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Permits;

/// <summary>
/// 变更: a new residence address or workplace within the city (山西2017 第十八条第一款: within 10 days). A late
/// report is accepted and the history records it as late, with the duty's due day and article. A move into
/// another station's area names the new confirmed registration; where the policy says so (山西2013 第十九条)
/// the old registration must be ended first. The permit then rests on the new registration and station, so
/// the new station's jurisdiction follows it; the issuing authority (status list, card) stays.
/// </summary>
public static class ChangePermit
{
    private const int MaxText = 200;

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/{id:guid}/change", async (Guid id, ChangePermitRequest? request, HttpContext http, PermitContext ctx,
                CancellationToken ct) => await HandleAsync(id, request, http, ctx, ct))
            .WithName("ChangePermit")
            .WithSummary("居住证变更（住址、工作单位；跨派出所迁居）")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);

    public static async Task<Results<Ok<PermitDto>, ProblemHttpResult>> HandleAsync(
        Guid id, ChangePermitRequest? request, HttpContext http, PermitContext ctx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        request ??= new ChangePermitRequest();
        var (permit, problem) = await ctx.LoadForUpdateAsync(id, PermitStepKit.ExpectedVersion(http, request), ct);
        if (permit is null)
        {
            return problem!;
        }

        var address = string.IsNullOrWhiteSpace(request.ResidenceAddress) ? null : request.ResidenceAddress.Trim();
        var workplace = string.IsNullOrWhiteSpace(request.Workplace) ? null : request.Workplace.Trim();
        if (address is null && workplace is null && request.RegistrationId is null)
        {
            return PermitStepKit.Invalid("residenceAddress", "Permit_Change_Nothing");
        }

        if (address is { Length: > MaxText } || workplace is { Length: > MaxText })
        {
            return PermitStepKit.Invalid(address is { Length: > MaxText } ? "residenceAddress" : "workplace", "Permit_FieldTooLong", MaxText);
        }

        var today = ctx.Clock.Today;
        if (request.ChangedOn is not { } changedOn)
        {
            return PermitStepKit.Invalid("changedOn", "Permit_FieldRequired", "changedOn");
        }

        if (changedOn > today)
        {
            return PermitStepKit.Invalid("changedOn", "Permit_DayInFuture", "changedOn");
        }

        if (permit.Status is not (PermitStatus.Valid or PermitStatus.Suspended))
        {
            return PermitContext.WrongStatus(permit, "change");
        }

        var before = new
        {
            registrationId = permit.RegistrationId,
            residenceDivision = permit.ResidenceDivisionCode,
            residenceAddress = permit.ResidenceAddress,
            workplace = permit.Workplace,
            stationCode = permit.StationCode,
            stationName = permit.StationName,
        };
        var crossStation = false;
        PermitResidence? movedTo = null;
        string? moveBasis = null;
        if (request.RegistrationId is { } registrationId && registrationId != permit.RegistrationId)
        {
            // The new registration must be the holder's own, confirmed by its station, and within the caller's reach.
            var registration = await ctx.Db.Registrations.FirstOrDefaultAsync(r => r.Id == registrationId, ct);
            if (registration is null)
            {
                return ApiProblems.Result(ErrorCode.RegistrationNotFound, Messages.Get("Error_RegistrationNotFound_Detail"));
            }

            if (registration.PersonIdHmac != permit.PersonIdHmac)
            {
                return PermitStepKit.Invalid("registrationId", "Permit_Change_OtherPerson");
            }

            if (registration.Status != RegistrationStatus.Confirmed || registration.StationCode is null)
            {
                return ApiProblems.Result(ErrorCode.PermitRegistrationNotConfirmed, Messages.Get("Error_PermitRegistrationNotConfirmed_Detail"));
            }

            // Within the city only (住址在居住地市、县范围内变更); leaving the city is a cancellation and a new application.
            if (!DivisionTable.Default.SamePrefecture(registration.ResidenceDivisionCode, permit.AuthorityCode))
            {
                return PermitStepKit.Problem(ErrorCode.PermitMoveOutsideCity, "Error_PermitMoveOutsideCity_Detail", registration.ResidenceDivisionCode);
            }

            var moveTerms = ctx.TermsFor(registration.ResidenceDivisionCode, changedOn);
            if (moveTerms is null)
            {
                return PermitContext.NoPolicy(registration.ResidenceDivisionCode);
            }

            crossStation = registration.StationCode != permit.StationCode;
            if (crossStation)
            {
                moveBasis = moveTerms.CrossStationClosesOldRegistration.Basis;
                if (moveTerms.CrossStationClosesOldRegistration.Value)
                {
                    // The old stay may lie outside the caller's jurisdiction: only its status is read.
                    var oldStatus = await ctx.Db.Registrations.IgnoreQueryFilters().Where(r => r.Id == permit.RegistrationId)
                        .Select(r => r.Status).FirstOrDefaultAsync(ct);
                    if (oldStatus != RegistrationStatus.Ended)
                    {
                        return PermitStepKit.Problem(ErrorCode.PermitOldRegistrationOpen, "Error_PermitOldRegistrationOpen_Detail",
                            permit.StationName, moveBasis);
                    }
                }
            }

            var record = (await ctx.Db.RegistrationVersions.AsNoTracking().Where(v => v.RegistrationId == registrationId)
                .OrderByDescending(v => v.Number).FirstAsync(ct)).Record;
            movedTo = new PermitResidence(registration.Id, registration.ResidenceDivisionCode, registration.StationCode,
                registration.StationName, record.ResidenceAddress, record.Workplace);
        }

        var division = movedTo?.DivisionCode ?? permit.ResidenceDivisionCode;
        var terms = ctx.TermsFor(division, changedOn);
        if (terms is null)
        {
            return PermitContext.NoPolicy(division);
        }

        // The duty to report the change (person.report-change): accepted when late, and recorded as late.
        DateOnly? due = terms.ChangeWithin is { } within ? ctx.Lifecycle.Due(within, division, changedOn) : null;
        var late = due is { } d && today > d;
        // The details name the residence after the change: built once the change is made.
        object Details() => new
        {
            duty = PermitStepKit.ReportChangeDuty,
            changedOn,
            due,
            dueBasis = terms.ChangeWithin?.Basis,
            late,
            crossStation,
            before,
            after = new
            {
                registrationId = permit.RegistrationId,
                residenceDivision = permit.ResidenceDivisionCode,
                residenceAddress = permit.ResidenceAddress,
                workplace = permit.Workplace,
                stationCode = permit.StationCode,
                stationName = permit.StationName,
            },
        };
        permit.Change(movedTo, address, workplace, () => ctx.Step(changedOn, PermitStepKit.Basis(terms.ChangeWithin?.Basis, moveBasis) ?? terms.PolicyId,
            terms, Details(), request.Reason?.Trim()));
        if (await ctx.SaveAsync(permit.Id, null, ct) is { } failed)
        {
            return failed;
        }

        return PermitStepKit.Done(http, ctx, permit);
    }
}

public sealed record ChangePermitRequest : PermitStepRequest
{
    /// <summary>The day the address or workplace changed (the reporting period runs from it).</summary>
    public DateOnly? ChangedOn { get; init; }

    public string? ResidenceAddress { get; init; }
    public string? Workplace { get; init; }

    /// <summary>A move into another station's area: the new, confirmed registration of the holder.</summary>
    public Guid? RegistrationId { get; init; }

    public string? Reason { get; init; }
}
