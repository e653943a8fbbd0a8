using Microsoft.AspNetCore.Http.HttpResults;
using Sojourn.Data.Permits;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Permits;

/// <summary>
/// The holder leaves the residence city (离开登记) and perhaps comes back. Where the policy has a return
/// exception (山西2017 第十八条第四款: back within 30 days, no cancellation) the permit stays valid and the
/// cancellation is pending until the exception ends; a return inside it clears the departure. Where the
/// policy has none, the departure cancels the permit at once: nothing would keep it alive, and a holder who
/// notified the station has done what the cancellation needs from them.
/// </summary>
public static class DepartureAndReturn
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/departure", async (Guid id, DepartureNoticeRequest? request, HttpContext http, PermitContext ctx,
                CancellationToken ct) => await DepartAsync(id, request, http, ctx, ct))
            .WithName("NotifyPermitDeparture")
            .WithSummary("居住证持有人离开居住地（返回例外期内暂缓注销）")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);

        group.MapPost("/{id:guid}/return", async (Guid id, ReturnNoticeRequest? request, HttpContext http, PermitContext ctx,
                CancellationToken ct) => await ReturnAsync(id, request, http, ctx, ct))
            .WithName("RecordPermitReturn")
            .WithSummary("返回登记居住地（返回例外期内不予注销）")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
    }

    public static async Task<Results<Ok<PermitDto>, ProblemHttpResult>> DepartAsync(
        Guid id, DepartureNoticeRequest? request, HttpContext http, PermitContext ctx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        request ??= new DepartureNoticeRequest();
        var (permit, problem) = await ctx.LoadForUpdateAsync(id, PermitStepKit.ExpectedVersion(http, request), ct);
        if (permit is null)
        {
            return problem!;
        }

        if (request.LeftOn is not { } leftOn)
        {
            return PermitStepKit.Invalid("leftOn", "Permit_FieldRequired", "leftOn");
        }

        if (permit.Status is not (PermitStatus.Valid or PermitStatus.Suspended))
        {
            return PermitContext.WrongStatus(permit, "departure");
        }

        if (permit.LeftOn is { } already)
        {
            return PermitStepKit.Problem(ErrorCode.PermitDepartureState, "Error_PermitAlreadyDeparted_Detail", PermitStepKit.Iso(already));
        }

        var today = ctx.Clock.Today;
        var terms = ctx.TermsFor(permit.ResidenceDivisionCode, leftOn <= today ? leftOn : today);
        if (terms is null)
        {
            return PermitContext.NoPolicy(permit.ResidenceDivisionCode);
        }

        // A departure may be announced ahead only within the policy's period before leaving (自离开前10日内).
        if (leftOn > today && (terms.CancelBeforeLeaving is not { } before || Rules.Periods.PeriodMath.WindowStart(leftOn, before.Value) > today))
        {
            return PermitStepKit.Invalid("leftOn", "Permit_DayInFuture", "leftOn");
        }

        var details = new Dictionary<string, object?> { ["oldCardSurrendered"] = request.OldCardSurrendered };
        var basis = CancelPermit.Departure(ctx, terms, permit, leftOn, details);
        var pending = terms.ReturnException is { } exception && today <= ctx.Lifecycle.Due(exception, permit.ResidenceDivisionCode, leftOn);
        details["cancellationPending"] = pending;
        permit.Depart(leftOn, ctx.Step(leftOn, basis, terms, details, request.Reason?.Trim()));
        if (!pending)
        {
            // No return exception (or it has already run out): the departure is the cancellation.
            var cancel = new Dictionary<string, object?> { ["ground"] = "left", ["final"] = false, ["oldCardSurrendered"] = request.OldCardSurrendered };
            CancelPermit.Cancel(ctx, permit, terms, leftOn, CancelPermit.Departure(ctx, terms, permit, leftOn, cancel), cancel, request.Reason);
        }

        if (await ctx.SaveAsync(permit.Id, null, ct) is { } failed)
        {
            return failed;
        }

        return PermitStepKit.Done(http, ctx, permit);
    }

    public static async Task<Results<Ok<PermitDto>, ProblemHttpResult>> ReturnAsync(
        Guid id, ReturnNoticeRequest? request, HttpContext http, PermitContext ctx, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        request ??= new ReturnNoticeRequest();
        var (permit, problem) = await ctx.LoadForUpdateAsync(id, PermitStepKit.ExpectedVersion(http, request), ct);
        if (permit is null)
        {
            return problem!;
        }

        if (permit.Status is not (PermitStatus.Valid or PermitStatus.Suspended))
        {
            return PermitContext.WrongStatus(permit, "return");
        }

        if (permit.LeftOn is not { } leftOn)
        {
            return PermitStepKit.Problem(ErrorCode.PermitDepartureState, "Error_PermitNotDeparted_Detail");
        }

        var today = ctx.Clock.Today;
        var returnedOn = request.ReturnedOn ?? today;
        if (returnedOn > today)
        {
            return PermitStepKit.Invalid("returnedOn", "Permit_DayInFuture", "returnedOn");
        }

        var terms = ctx.TermsFor(permit.ResidenceDivisionCode, leftOn <= today ? leftOn : today);
        if (terms is null)
        {
            return PermitContext.NoPolicy(permit.ResidenceDivisionCode);
        }

        if (terms.ReturnException is not { } exception)
        {
            return PermitStepKit.Problem(ErrorCode.PermitDepartureState, "Error_PermitNoReturnException_Detail", terms.PolicyId);
        }

        var returnBy = ctx.Lifecycle.Due(exception, permit.ResidenceDivisionCode, leftOn);
        if (returnedOn > returnBy)
        {
            return PermitStepKit.OutsideWindow("return", leftOn, returnBy, exception.Basis);
        }

        permit.Return(ctx.Step(returnedOn, exception.Basis, terms,
            new { leftOn, returnedOn, returnBy, returnException = PermitStepKit.Describe(exception.Value) }, request.Reason?.Trim()));
        if (await ctx.SaveAsync(permit.Id, null, ct) is { } failed)
        {
            return failed;
        }

        return PermitStepKit.Done(http, ctx, permit);
    }
}

public sealed record DepartureNoticeRequest : PermitStepRequest
{
    /// <summary>The day the holder left (or will leave, within the policy's period before leaving).</summary>
    public DateOnly? LeftOn { get; init; }

    public bool OldCardSurrendered { get; init; }

    public string? Reason { get; init; }
}

public sealed record ReturnNoticeRequest : PermitStepRequest
{
    /// <summary>The day the holder came back (default today).</summary>
    public DateOnly? ReturnedOn { get; init; }

    public string? Reason { get; init; }
}
