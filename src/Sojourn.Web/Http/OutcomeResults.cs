using Microsoft.AspNetCore.Http.HttpResults;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Http;

/// <summary>
/// The one mapping from a use case's <see cref="Outcome{T}"/> to HTTP: the value as 200 or 201 (with its ETag when
/// it is versioned), a failure as ProblemDetails with its catalogue code. Endpoints stay thin.
/// </summary>
internal static class OutcomeResults
{
    public static Results<Ok<T>, ProblemHttpResult> ToOk<T>(this Outcome<T> outcome, HttpContext http, Func<T, int>? version = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!outcome.TryGetValue(out var value, out var failure))
        {
            return ApiProblems.Result(failure);
        }

        if (version is not null)
        {
            EntityTags.SetETag(http, version(value));
        }

        return TypedResults.Ok(value);
    }

    public static Results<Created<T>, ProblemHttpResult> ToCreated<T>(
        this Outcome<T> outcome, HttpContext http, Func<T, string> location, Func<T, int>? version = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(location);
        if (!outcome.TryGetValue(out var value, out var failure))
        {
            return ApiProblems.Result(failure);
        }

        if (version is not null)
        {
            EntityTags.SetETag(http, version(value));
        }

        return TypedResults.Created(location(value), value);
    }

    /// <summary>True when an endpoint's result (possibly wrapped in <c>Results&lt;…&gt;</c>) is an error answer.</summary>
    public static bool IsFailure(object? result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }

        return result is IStatusCodeHttpResult { StatusCode: >= 400 };
    }
}
