using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Sojourn.Data;

/// <summary>Recognises database errors the application turns into 409s, on either provider.</summary>
public static class DbErrors
{
    /// <summary>The partial unique index that allows one open stay per person and residence address.</summary>
    public const string OpenStayIndex = "UX_Registrations_OpenStay";

    /// <summary>True when <paramref name="exception"/> broke the one-open-stay index (not another unique key).</summary>
    public static bool IsOpenStayViolation(DbUpdateException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.InnerException switch
        {
            // SQLite names the columns of the index, not the index.
            SqliteException { SqliteExtendedErrorCode: 2067 } sqlite =>
                sqlite.Message.Contains("Registrations.ResidenceAddressKey", StringComparison.Ordinal),
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg => pg.ConstraintName == OpenStayIndex,
            _ => false,
        };
    }

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
