using Microsoft.Extensions.DependencyInjection;
using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Data;
using Sojourn.Data.Audit;

namespace Sojourn.Application.Audit;

/// <summary>
/// The one way to run a use case as an audited unit of work outside a request's audit filter: a background job of the
/// web host, a CLI command, an endpoint whose handler opens its own transaction. The actor is set on the scope, the
/// use case runs in one <see cref="AuditTransaction"/> (its saves join it), and on success the entries of what it
/// declared in its <see cref="PersonalDataLedger"/> are appended to that transaction and both commit; on a failure or
/// an exception both roll back, so nothing is half-saved and no entry records an operation that did not happen.
/// </summary>
internal static class AuditedOperation
{
    /// <summary>Runs <paramref name="useCase"/> in a scope of its own (a job, a command).</summary>
    public static async Task<Outcome<T>> RunAsync<T>(
        IServiceScopeFactory scopes, ActorIdentity actor, string operation,
        Func<IServiceProvider, CurrentActor, CancellationToken, Task<Outcome<T>>> useCase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        await using var scope = scopes.CreateAsyncScope();
        return await RunAsync(scope.ServiceProvider, actor, operation, useCase, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="useCase"/> in the scope of <paramref name="services"/> (a request's own, where
    /// <paramref name="actor"/> must be that scope's <see cref="CurrentActor.Identity"/>), as <paramref name="actor"/>.
    /// </summary>
    public static async Task<Outcome<T>> RunAsync<T>(
        IServiceProvider services, ActorIdentity actor, string operation,
        Func<IServiceProvider, CurrentActor, CancellationToken, Task<Outcome<T>>> useCase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(useCase);
        var current = services.GetRequiredService<CurrentActor>();
        current.Set(actor);
        await using var transaction = await AuditTransaction.BeginAsync(services.GetRequiredService<SojournDbContext>(), cancellationToken);
        var outcome = await useCase(services, current, cancellationToken);
        if (!outcome.TryGetValue(out _, out _))
        {
            return outcome; // disposing the uncommitted transaction rolls back the use case's writes
        }

        var at = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        await transaction.AppendAsync(LedgerEntries.Of(actor, operation, services.GetRequiredService<PersonalDataLedger>(), at), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return outcome;
    }
}
