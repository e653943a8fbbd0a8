using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Sojourn.Web.Hosting;

/// <summary>Builds RFC 9457 ProblemDetails carrying <c>errorCode</c> and, for bad input, <c>errors</c> by field.</summary>
internal static class ApiProblems
{
    public static ProblemDetails Create(ErrorCode error, string? detail = null, IDictionary<string, string[]>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        var problem = new ProblemDetails
        {
            Status = error.Status,
            Title = Messages.Get(error.TitleKey),
            Detail = detail,
            Type = $"https://sojourn.invalid/errors/{error.Code}",
        };
        problem.Extensions["errorCode"] = error.Code;
        if (errors is not null)
        {
            problem.Extensions["errors"] = errors;
        }

        return problem;
    }

    public static ProblemHttpResult Result(ErrorCode error, string? detail = null, IDictionary<string, string[]>? errors = null) =>
        TypedResults.Problem(Create(error, detail, errors));

    /// <summary>A use case's failure as ProblemDetails: its catalogue code and status, detail, field errors and extensions.</summary>
    public static ProblemHttpResult Result(Failure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var problem = Create(failure.Code, failure.Detail,
            failure.Errors is null ? null : new Dictionary<string, string[]>(failure.Errors));
        foreach (var (key, value) in failure.Extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors) =>
        Result(ErrorCode.ValidationFailed, Messages.Get("Error_ValidationFailed_Detail"), errors);

    public static ProblemHttpResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });
}
