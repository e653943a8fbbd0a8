using Sojourn.Application.Actors;
using Sojourn.Application.Audit;
using Sojourn.Application.Errors;

namespace Sojourn.Web.Access.Audit;

/// <summary>A background job of the web host: its use case run as <see cref="SweepActor"/> through <see cref="AuditedOperation"/>.</summary>
internal static class AuditedJob
{
    /// <summary>The daily jobs as the actor: the system's reach, named <c>system:sweep</c> in audit entries.</summary>
    public static readonly ActorIdentity SweepActor = new("system:sweep", "sweep", "system", "", Sojourn.Data.Access.ActorScope.System);

    public static Task<Outcome<T>> RunAsync<T>(
        IServiceScopeFactory scopes, string operation, Func<IServiceProvider, CurrentActor, CancellationToken, Task<Outcome<T>>> useCase,
        CancellationToken cancellationToken) =>
        AuditedOperation.RunAsync(scopes, SweepActor, operation, useCase, cancellationToken);
}
