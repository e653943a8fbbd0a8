using System.Globalization;
using System.Text;
using Npgsql;

namespace Sojourn.Bench.Registration.Measurement;

/// <summary>
/// <c>--statements</c>: what SQL the app ran per request and where PostgreSQL's time went, from
/// pg_stat_statements (reset before each measured phase). A diagnostic: it costs a little time per
/// statement, so its runs are not figures of record.
/// </summary>
internal sealed class StatementStats : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;

    private StatementStats(NpgsqlDataSource source) => _source = source;

    public static async Task<StatementStats> CreateAsync(string connectionString, CancellationToken ct)
    {
        var stats = new StatementStats(NpgsqlDataSource.Create(connectionString));
        await using var cmd = stats._source.CreateCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        await cmd.ExecuteNonQueryAsync(ct);
        return stats;
    }

    public async Task ResetAsync(CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand("SELECT pg_stat_statements_reset()");
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The 20 statements with the most execution time, as calls and milliseconds per request.</summary>
    public async Task<string> ReportAsync(int requests, CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand("""
            SELECT calls, total_exec_time, rows, left(regexp_replace(query, '\s+', ' ', 'g'), 140)
            FROM pg_stat_statements
            WHERE query NOT LIKE '%pg_stat_statements%'
            ORDER BY total_exec_time DESC LIMIT 20
            """);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var n = Math.Max(1, requests);
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"    pg_stat_statements for {requests} requests: calls/req, exec ms/req, rows/call, statement\n");
        while (await reader.ReadAsync(ct))
        {
            var calls = reader.GetInt64(0);
            text.Append(CultureInfo.InvariantCulture,
                $"    {(double)calls / n,7:F2} {reader.GetDouble(1) / n,8:F4} {(calls == 0 ? 0 : (double)reader.GetInt64(2) / calls),6:F1}  {reader.GetString(3)}\n");
        }

        return text.ToString();
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
