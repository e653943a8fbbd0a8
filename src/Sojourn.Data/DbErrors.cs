using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Sojourn.Data;

/// <summary>Recognises database errors the application turns into 409s, on either provider.</summary>
public static class DbErrors
{
    public static bool IsUniqueViolation(DbUpdateException exception, string? indexName = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.InnerException switch
        {
            // SQLITE_CONSTRAINT_UNIQUE names the columns, not the index.
            SqliteException { SqliteExtendedErrorCode: 2067 or 1555 } => true,
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg =>
                indexName is null || pg.ConstraintName == indexName,
            _ => false,
        };
    }
}
