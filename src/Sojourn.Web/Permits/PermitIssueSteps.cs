namespace Sojourn.Web.Permits;

/// <summary>What the issue steps' endpoints (approve, refuse, endorse) declare alike; the steps themselves are use cases.</summary>
internal static class PermitIssueSteps
{
    /// <summary>What a versioned permit step can answer besides 200.</summary>
    public static RouteHandlerBuilder ProducesIssueStepProblems(this RouteHandlerBuilder endpoint) =>
        endpoint.ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
