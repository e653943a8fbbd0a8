using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Sojourn.Web.Hosting;

/// <summary>
/// The one place unexpected exceptions become ProblemDetails. A request body that is not JSON (or
/// does not fit the contract's types) is the client's fault: 400 naming the field, never 500.
/// </summary>
internal sealed class UnexpectedExceptionHandler(
    IProblemDetailsService problemDetails, ILogger<UnexpectedExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        Microsoft.AspNetCore.Mvc.ProblemDetails problem;
        if (exception is Data.Access.OutsideJurisdictionException outside)
        {
            // Thrown by the data layer before anything is sent: a refused write, not a fault.
            problem = ApiProblems.Create(ErrorCode.OutsideJurisdiction, Messages.Format("Error_OutsideJurisdiction_Detail", outside.DivisionCode));
        }
        else if (exception is Data.Validation.InvalidFieldException invalid)
        {
            problem = ApiProblems.Create(ErrorCode.UnsafeText, Messages.Get("Error_ValidationFailed_Detail"),
                new Dictionary<string, string[]> { [invalid.Field] = [Messages.Format("Field_NotStorable", invalid.Field)] });
        }
        else if (exception is BadHttpRequestException badValue && FindJsonException(badValue) is BoundaryValueException refused)
        {
            var field = refused.Path is { Length: > 1 } path ? ToFieldName(path) : "body";
            problem = ApiProblems.Create(ErrorCode.UnsafeText, Messages.Get("Error_ValidationFailed_Detail"),
                new Dictionary<string, string[]> { [field] = [Messages.Format(refused.MessageKey, [field, .. refused.Arguments])] });
        }
        else if (exception is BadHttpRequestException bad)
        {
            var json = FindJsonException(bad);
            var field = json?.Path is { Length: > 1 } path ? ToFieldName(path) : "body";
            var message = json is null ? Messages.Get("Error_MalformedRequest_Detail") : Messages.Get("Error_MalformedJson_Field");
            problem = ApiProblems.Create(
                ErrorCode.MalformedRequest,
                Messages.Get("Error_MalformedRequest_Detail"),
                new Dictionary<string, string[]> { [field] = [message] });
            problem.Status = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? bad.StatusCode : StatusCodes.Status400BadRequest;
        }
        else
        {
            // Message only: exception data could carry personal data; the trace id ties log and response.
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            problem = ApiProblems.Create(ErrorCode.Unexpected, Messages.Get("Error_Unexpected_Detail"));
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static JsonException? FindJsonException(Exception exception)
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is JsonException json)
            {
                return json;
            }
        }

        return null;
    }

    // "$.children[0].birthDate" -> "children[0].birthDate"
    private static string ToFieldName(string path) => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
}
