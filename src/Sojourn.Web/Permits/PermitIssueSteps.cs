using Microsoft.AspNetCore.Http.HttpResults;
using Sojourn.Data.Permits;
using Sojourn.Rules.Permits;

namespace Sojourn.Web.Permits;

/// <summary>Small pieces the apply, issue, endorsement and sweep steps share (part A of the permit module).</summary>
public static class PermitIssueSteps
{
    /// <summary>
    /// The endorsement window for the <paramref name="year"/>-th anniversary of <paramref name="anchor"/>, or
    /// none when that anniversary falls on or after the last day of validity (the permit is renewed, not endorsed).
    /// </summary>
    public static (DateOnly? Opens, DateOnly? Due) Window(PermitContext ctx, PermitTerms terms, DateOnly? validUntil, DateOnly anchor, int year)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var (opens, due) = ctx.Lifecycle.Endorsement(terms, anchor, year);
        return validUntil is { } until && due >= until ? (null, null) : (opens, due);
    }

    /// <summary>Sends the new version as the ETag when the step succeeded.</summary>
    public static Results<Ok<PermitDto>, ProblemHttpResult> WithETag(HttpContext http, Results<Ok<PermitDto>, ProblemHttpResult> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Result is Ok<PermitDto> ok)
        {
            Http.EntityTags.SetETag(http, ok.Value!.Version);
        }

        return result;
    }

    /// <summary>
    /// Maps a step that needs nothing but the version read (If-Match or body <c>version</c>): approve, endorse.
    /// The new version goes back as the ETag.
    /// </summary>
    public static RouteHandlerBuilder MapVersionedStep(
        this RouteGroupBuilder group, string pattern,
        Func<Guid, int?, PermitContext, CancellationToken, Task<Results<Ok<PermitDto>, ProblemHttpResult>>> handle) =>
        group.MapPost(pattern, async (Guid id, PermitStepRequest? request, HttpContext http, PermitContext ctx, CancellationToken ct) =>
                WithETag(http, await handle(id, Http.EntityTags.ExpectedVersion(http, request?.Version), ctx, ct)))
            .ProducesIssueStepProblems();

    /// <summary>What a versioned permit step can answer besides 200.</summary>
    public static RouteHandlerBuilder ProducesIssueStepProblems(this RouteHandlerBuilder endpoint) =>
        endpoint.ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
