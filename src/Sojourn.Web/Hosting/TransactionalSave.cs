using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sojourn.Data;
using Sojourn.Data.Audit;

namespace Sojourn.Web.Hosting;

/// <summary>How every versioned write saves: one transaction, lost races and unique keys turned into problems.</summary>
public static class TransactionalSave
{
    /// <summary>
    /// Saves in one transaction, joining the access filter's when there is one, so the audit entry commits
    /// with the write (docs/adr/0003-access-and-audit.md). A lost race or a broken unique key rolls back,
    /// forgets the tracked changes and becomes the problem <paramref name="onConflict"/> names; nothing is written.
    /// </summary>
    public static async Task<ProblemHttpResult?> SaveAsync(
        DbContext db, Func<Task>? beforeSave, Func<DbUpdateException, Task<ProblemHttpResult>> onConflict,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(onConflict);
        await using var transaction = await SharedTransaction.BeginOrJoinAsync(db, cancellationToken);
        try
        {
            if (beforeSave is not null)
            {
                await beforeSave();
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return null;
        }
        catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || DbErrors.IsUniqueViolation(e))
        {
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            return await onConflict(e);
        }
    }
}
