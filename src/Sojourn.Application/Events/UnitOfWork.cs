using Microsoft.EntityFrameworkCore;
using Sojourn.Data;
using Sojourn.Data.Audit;
using Sojourn.Data.Domain;

namespace Sojourn.Application.Events;

/// <summary>
/// How a use case saves: in one transaction (joining the audit step's when there is one, so the audit entry commits
/// with the write), the events the aggregates raised are dispatched first (history rows, credentials), then
/// everything is saved together: a step and its side effects commit or roll back as one.
/// </summary>
public sealed class UnitOfWork(SojournDbContext db, DomainEventDispatcher dispatcher)
{
    /// <summary>More rounds than this means handlers keep raising events: a bug, not a workload.</summary>
    private const int MaxRounds = 8;

    public SojournDbContext Db => db;

    /// <summary>
    /// Runs <paramref name="beforeSave"/>, dispatches the raised events and saves. A lost race or a broken unique key
    /// rolls back, forgets the tracked changes and is returned (null: saved); nothing is written then.
    /// </summary>
    public Task<DbUpdateException?> SaveAsync(Func<Task>? beforeSave, CancellationToken cancellationToken) =>
        SaveInTransactionAsync(db, async () =>
        {
            if (beforeSave is not null)
            {
                await beforeSave();
            }

            await DispatchEventsAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// The one transactional save: runs <paramref name="beforeSave"/> and saves in one transaction (joining the audit
    /// step's); a lost race or a broken unique key rolls back, forgets the tracked changes and is returned (null: saved).
    /// </summary>
    public static async Task<DbUpdateException?> SaveInTransactionAsync(DbContext db, Func<Task>? beforeSave, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var transaction = await SharedTransaction.BeginOrJoinAsync(db, cancellationToken);
        try
        {
            if (beforeSave is not null)
            {
                await beforeSave();
            }

            await transaction.SaveChangesAsync(db, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || DbErrors.IsUniqueViolation(e))
        {
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            return e;
        }
    }

    /// <summary>Dispatches (and clears) the events of every tracked aggregate, until handlers raise no more.</summary>
    public async Task DispatchEventsAsync(CancellationToken cancellationToken)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            var raised = db.ChangeTracker.Entries<IHasDomainEvents>()
                .Select(e => e.Entity).Where(e => e.DomainEvents.Count > 0).ToList();
            if (raised.Count == 0)
            {
                return;
            }

            var events = raised.SelectMany(e => e.DomainEvents).ToList();
            raised.ForEach(e => e.ClearDomainEvents());
            foreach (var domainEvent in events)
            {
                await dispatcher.DispatchAsync(domainEvent, cancellationToken);
            }
        }

        throw new InvalidOperationException("Domain event handlers kept raising events.");
    }
}
