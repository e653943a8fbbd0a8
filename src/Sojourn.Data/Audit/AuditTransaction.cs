using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Sojourn.Data.Audit;

/// <summary>
/// One database transaction that carries both an operation's writes and the audit entries recording it,
/// so a crash or failure between them can lose neither alone. The writer of the operation joins it through
/// <see cref="SharedTransaction.BeginOrJoinAsync"/>; the audit entries are inserted unsealed with
/// <see cref="AppendAsync"/> (no lock: the sequencer seals them after commit); <see cref="CommitAsync"/> commits
/// both. Disposing without commit rolls back.
/// </summary>
public sealed class AuditTransaction : IAsyncDisposable
{
    private readonly SojournDbContext _db;
    private readonly IDbContextTransaction _transaction;
    private bool _done;

    private AuditTransaction(SojournDbContext db, IDbContextTransaction transaction)
    {
        _db = db;
        _transaction = transaction;
    }

    public SojournDbContext Db => _db;

    /// <summary>False once committed or rolled back.</summary>
    public bool IsOpen => !_done;

    public static async Task<AuditTransaction> BeginAsync(SojournDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException("An audit transaction must own its database transaction.");
        }

        return new AuditTransaction(db, await db.Database.BeginTransactionAsync(cancellationToken));
    }

    /// <summary>Inserts entries, unsealed, inside this transaction (saving any pending changes too).</summary>
    public Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ObjectDisposedException.ThrowIf(_done, this);
        return AuditChain.AppendAsync(_db, entries, cancellationToken);
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        try
        {
            await _transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            await DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_done)
        {
            return;
        }

        _done = true;
        // Rolls back when not committed: the entries vanish with the operation.
        await _transaction.DisposeAsync();
    }
}

/// <summary>
/// A transaction that an outer unit of work (e.g. <see cref="AuditTransaction"/>) may already have opened:
/// then commit and rollback are the outer one's to do, and EF Core's automatic savepoint undoes a failed
/// SaveChanges inside it.
/// </summary>
public sealed class SharedTransaction : IAsyncDisposable
{
    private readonly IDbContextTransaction? _own;

    private SharedTransaction(IDbContextTransaction? own) => _own = own;

    /// <summary>True when this call opened the transaction (and so commits it).</summary>
    public bool Owned => _own is not null;

    public static async Task<SharedTransaction> BeginOrJoinAsync(DbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.CurrentTransaction is not null
            ? new SharedTransaction(null)
            : new SharedTransaction(await db.Database.BeginTransactionAsync(cancellationToken));
    }

    public Task CommitAsync(CancellationToken cancellationToken) =>
        _own is null ? Task.CompletedTask : _own.CommitAsync(cancellationToken);

    private const string Savepoint = "sojourn_save";

    /// <summary>
    /// Saves <paramref name="db"/>'s changes inside this transaction without EF Core's automatic savepoint, which costs
    /// two database round trips per save (SAVEPOINT and RELEASE, each its own command). An owned transaction needs
    /// none: a failed save rolls it all back. A joined one (the audit step's) gets the provider's own savepoint, which
    /// Npgsql sends with the save's first command, and is rolled back to it when the save fails, so the outer
    /// transaction stays usable; it is never released (it ends with the transaction).
    /// </summary>
    public async Task SaveChangesAsync(DbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var database = db.Database;
        var auto = database.AutoSavepointsEnabled;
        var outer = _own is null ? database.CurrentTransaction?.GetDbTransaction() : null;
        if (outer is { SupportsSavepoints: false })
        {
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        database.AutoSavepointsEnabled = false;
        try
        {
            if (outer is null)
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }

            await outer.SaveAsync(Savepoint, cancellationToken);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                await outer.RollbackAsync(Savepoint, CancellationToken.None);
                throw;
            }
        }
        finally
        {
            database.AutoSavepointsEnabled = auto;
        }
    }

    public Task RollbackAsync(CancellationToken cancellationToken) =>
        _own is null ? Task.CompletedTask : _own.RollbackAsync(cancellationToken);

    public ValueTask DisposeAsync() => _own?.DisposeAsync() ?? ValueTask.CompletedTask;
}
