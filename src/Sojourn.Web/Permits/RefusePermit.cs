using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Sojourn.Data.Permits;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Permits;

public sealed record RefuseRequest : PermitStepRequest
{
    /// <summary>告知并说明理由: the reason, in words.</summary>
    public string? Reason { get; init; }

    /// <summary>Articles the refusal rests on, in the contract's form (<c>shanxi-2017#9</c>), e.g. the unmet condition's basis.</summary>
    public IReadOnlyList<string>? Basis { get; init; }
}

/// <summary>
/// POST /api/v1/permits/{id}/refuse: the station refuses to issue (不予发放) with a reason and its articles;
/// the notice (告知并说明理由) is rendered from the stored reason and basis by the e-permit module.
/// </summary>
public static partial class RefusePermit
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/{id:guid}/refuse", async (Guid id, RefuseRequest? request, HttpContext http, PermitContext ctx, CancellationToken ct) =>
                PermitIssueSteps.WithETag(http, await HandleAsync(id, request ?? new RefuseRequest(), Http.EntityTags.ExpectedVersion(http, request?.Version), ctx, ct)))
            .WithName("RefusePermit")
            .WithSummary("不予发放居住证（书面告知并说明理由）")
            .ProducesIssueStepProblems();

    public static async Task<Results<Ok<PermitDto>, ProblemHttpResult>> HandleAsync(
        Guid id, RefuseRequest request, int? expectedVersion, PermitContext ctx, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(ctx);
        var (permit, problem) = await ctx.LoadForUpdateAsync(id, expectedVersion, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (permit!.Status != PermitStatus.Applied)
        {
            return PermitContext.WrongStatus(permit, "refuse");
        }

        var errors = new FieldErrors();
        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            errors.Add("reason", "Field_Required", Messages.Get("Label_RefusalReason"));
        }
        else if (reason.Length > 1000)
        {
            errors.Add("reason", "Permit_ReasonTooLong", 1000);
        }

        var basis = (request.Basis ?? []).Select(b => b?.Trim() ?? "").Where(b => b.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (basis.Count == 0)
        {
            errors.Add("basis", "Field_Required", Messages.Get("Label_RefusalBasis"));
        }
        else if (basis.Any(b => !Citation().IsMatch(b)) || string.Join(',', basis).Length > 400)
        {
            errors.Add("basis", "Permit_BasisFormat");
        }

        if (errors.Any)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }

        var today = ctx.Clock.Today;
        var terms = ctx.TermsFor(permit.ResidenceDivisionCode, today);
        var refusalBasis = string.Join(',', basis);
        permit.Refuse(today, reason!, refusalBasis, ctx.Step(today, refusalBasis, terms, new
        {
            decidedOn = today,
            issueDue = permit.IssueDue,
            deadlineMet = today <= permit.IssueDue,
            basis,
        }, reason));
        var saved = await ctx.SaveAsync(permit.Id, null, cancellationToken);
        return saved is not null ? saved : TypedResults.Ok(ctx.ToDto(permit));
    }

    /// <summary><c>policy-id#article</c>: the article an Arabic number or an outline path (taizhou-2016#2.2.1).</summary>
    [GeneratedRegex(@"^[a-z][a-z0-9-]{1,30}#[0-9]+(\.[0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Citation();
}
