using System.Diagnostics;
using Npgsql;

namespace Sojourn.Bench.Registration.Measurement;

/// <summary>
/// What PostgreSQL itself can do with the same rows, without the app: one round trip of raw INSERTs per
/// registration, a bare SELECT by primary key, and binary COPY. The INSERT and COPY targets are copies
/// of the app's tables (<c>CREATE TABLE ... (LIKE ... INCLUDING ALL)</c>: same columns, primary keys,
/// unique and partial indexes, identity) plus the same foreign keys, each in its own schema, empty at
/// the start like the app's tables were.
/// </summary>
public sealed class Ceilings(NpgsqlDataSource dataSource)
{
    private static readonly string[] Tables = ["Registrations", "RegistrationVersions", "AccompanyingChildren"];

    /// <summary>Checks the column lists against the migrated tables, then creates the copies.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        await VerifyColumnsAsync(cancellationToken);
        foreach (var schema in new[] { "ceiling_insert", "ceiling_copy", Infrastructure.FloorServer.Schema })
        {
            var sql = $"""
                DROP SCHEMA IF EXISTS {schema} CASCADE;
                CREATE SCHEMA {schema};
                {string.Join('\n', Tables.Select(t => $"CREATE TABLE {schema}.\"{t}\" (LIKE public.\"{t}\" INCLUDING ALL);"))}
                ALTER TABLE {schema}."RegistrationVersions" ADD FOREIGN KEY ("RegistrationId") REFERENCES {schema}."Registrations" ("Id");
                ALTER TABLE {schema}."AccompanyingChildren" ADD FOREIGN KEY ("VersionId") REFERENCES {schema}."RegistrationVersions" ("Id") ON DELETE CASCADE;
                """;
            await using var cmd = dataSource.CreateCommand(sql);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>One registration's rows in one round trip (an implicit transaction), as the app commits them.</summary>
    public Task<bool> InsertAsync(StoredRegistration row, CancellationToken cancellationToken) =>
        InsertAsync(row, "ceiling_insert", cancellationToken);

    /// <summary>As above, into the copy of the tables in <paramref name="schema"/>.</summary>
    public async Task<bool> InsertAsync(StoredRegistration row, string schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(conn);
        batch.BatchCommands.Add(InsertCommand(schema, "Registrations", StoredColumns.Registrations, row.Registration));
        batch.BatchCommands.Add(InsertCommand(schema, "RegistrationVersions", StoredColumns.Versions, row.Version));
        foreach (var child in row.Version.Record.Children)
        {
            batch.BatchCommands.Add(InsertCommand(schema, "AccompanyingChildren", StoredColumns.Children, (child, row.Version.Id)));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }

    /// <summary>The bare indexed read, the registration row by primary key (also the HTTP floor's).</summary>
    public static NpgsqlCommand SelectCommand(NpgsqlConnection conn, Guid id)
    {
        var cmd = new NpgsqlCommand("SELECT * FROM public.\"Registrations\" WHERE \"Id\" = $1", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = id, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        return cmd;
    }

    /// <summary>A bare indexed read: the registration row by primary key.</summary>
    public async Task<bool> SelectAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var cmd = SelectCommand(conn, id);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var found = await reader.ReadAsync(cancellationToken);
        for (var i = 0; found && i < reader.FieldCount; i++)
        {
            _ = reader.GetValue(i);
        }

        return found;
    }

    /// <summary>Binary COPY of all rows, table by table, on one connection; returns the elapsed time.</summary>
    public async Task<TimeSpan> CopyAsync(IReadOnlyList<StoredRegistration> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        await CopyTableAsync(conn, "Registrations", StoredColumns.Registrations, rows.Select(r => r.Registration), cancellationToken);
        await CopyTableAsync(conn, "RegistrationVersions", StoredColumns.Versions, rows.Select(r => r.Version), cancellationToken);
        await CopyTableAsync(conn, "AccompanyingChildren", StoredColumns.Children,
            rows.SelectMany(r => r.Version.Record.Children.Select(c => (c, r.Version.Id))), cancellationToken);
        return clock.Elapsed;
    }

    /// <summary>Empties the COPY target (used after the warm-up COPY).</summary>
    public async Task TruncateCopyTargetAsync(CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            "TRUNCATE ceiling_copy.\"AccompanyingChildren\", ceiling_copy.\"RegistrationVersions\", ceiling_copy.\"Registrations\"");
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> CountAsync(string schema, string table, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT count(*) FROM {schema}.\"{table}\"");
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task CopyTableAsync<T>(
        NpgsqlConnection conn, string table, Column<T>[] columns, IEnumerable<T> rows, CancellationToken cancellationToken)
    {
        var columnList = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
        await using var importer = await conn.BeginBinaryImportAsync(
            $"COPY ceiling_copy.\"{table}\" ({columnList}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            foreach (var column in columns)
            {
                var value = column.Get(row);
                if (value is null)
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    await importer.WriteAsync(value, column.Type, cancellationToken);
                }
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand InsertCommand<T>(string schema, string table, Column<T>[] columns, T row)
    {
        var names = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
        var placeholders = string.Join(", ", columns.Select((_, i) => "$" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var command = new NpgsqlBatchCommand($"INSERT INTO {schema}.\"{table}\" ({names}) VALUES ({placeholders})");
        foreach (var column in columns)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = column.Get(row) ?? DBNull.Value, NpgsqlDbType = column.Type });
        }

        return command;
    }

    /// <summary>Fails early, and clearly, when the app's schema moved away from the column lists above.</summary>
    private async Task VerifyColumnsAsync(CancellationToken cancellationToken)
    {
        var expected = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["Registrations"] = [.. StoredColumns.Registrations.Select(c => c.Name)],
            ["RegistrationVersions"] = [.. StoredColumns.Versions.Select(c => c.Name)],
            ["AccompanyingChildren"] = [.. StoredColumns.Children.Select(c => c.Name), "Id"],
        };
        await using var cmd = dataSource.CreateCommand(
            "SELECT table_name, column_name, is_nullable = 'YES' OR column_default IS NOT NULL OR is_identity = 'YES' " +
            "FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ANY($1)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = Tables });
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var actual = new List<(string Table, string Column, bool Optional)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            actual.Add((reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)));
        }

        var problems = new List<string>();
        foreach (var (table, columns) in expected)
        {
            var present = actual.Where(a => a.Table == table).ToArray();
            problems.AddRange(columns.Where(c => present.All(p => p.Column != c)).Select(c => $"{table}.{c} no longer exists"));
            problems.AddRange(present.Where(p => !p.Optional && !columns.Contains(p.Column)).Select(p => $"{table}.{p.Column} is new and required"));
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                "登记表结构已变化，请更新 StoredColumns / the registration schema changed, update StoredColumns: " + string.Join("; ", problems));
        }
    }
}

/// <summary>Ids of the registrations the app created, for the read phases.</summary>
public static class RegistrationIds
{
    public static Guid FromLocation(Uri? location) =>
        location is not null && Guid.TryParse(location.OriginalString.AsSpan(location.OriginalString.LastIndexOf('/') + 1), out var id)
            ? id
            : Guid.Empty;
}
