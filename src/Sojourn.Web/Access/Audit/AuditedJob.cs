using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;

namespace Sojourn.Web.Access.Audit;

/// <summary>
/// A use case run by a background job of the web host as a system actor: the use case's saves, its events and the
/// audit entries of what it declared commit in one transaction, or nothing does (as the CLI's and the endpoints').
/// </summary>
internal static class AuditedJob
{
    /// <summary>The daily jobs as the actor: the system's reach, named <c>system:sweep</c> in audit entries.</summary>
    public static readonly ActorIdentity SweepActor = new("system:sweep", "sweep", "system", "", Sojourn.Data.Access.ActorScope.System);

    public static async Task<Outcome<T>> RunAsync<T>(
        IServiceScopeFactory scopes, ActorIdentity identity, string operation,
        Func<IServiceProvider, CurrentActor, CancellationToken, Task<Outcome<T>>> useCase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(useCase);
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var actor = services.GetRequiredService<CurrentActor>();
        actor.Set(identity);
        var recorder = services.GetRequiredService<AuditRecorder>();
        await using var transaction = await recorder.BeginAsync(cancellationToken);
        var outcome = await useCase(services, actor, cancellationToken);
        if (outcome.TryGetValue(out _, out _))
        {
            await recorder.RecordUsesAsync(identity, operation, services.GetRequiredService<PersonalDataLedger>(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return outcome;
    }
}
