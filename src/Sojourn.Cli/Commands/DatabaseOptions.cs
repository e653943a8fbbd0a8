using System.CommandLine;
using Sojourn.Data;
using Sojourn.Data.Audit;

namespace Sojourn.Cli.Commands;

/// <summary>
/// <c>--provider</c> and <c>--connection</c>, chosen as the web host chooses them
/// (Sojourn__Database__Provider, ConnectionStrings__Sojourn, else the embedded data/sojourn.db).
/// </summary>
internal sealed class DatabaseOptions
{
    public Option<string> Provider { get; } = new("--provider")
    {
        Description = "sqlite | postgres（默认取环境变量 Sojourn__Database__Provider，否则 sqlite）",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("Sojourn__Database__Provider") ?? "sqlite",
    };

    public Option<string?> Connection { get; } = new("--connection")
    {
        Description = "连接字符串（默认取环境变量 ConnectionStrings__Sojourn，否则 data/sojourn.db）",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Provider);
        command.Options.Add(Connection);
    }

    public SojournDbContext Open(ParseResult r)
    {
        var (provider, cs) = Resolve(r);
        return AuditDatabase.Open(provider, cs);
    }

    /// <summary>The provider (upper case) and the connection string, checked, as <see cref="Open"/> uses them.</summary>
    public (string Provider, string ConnectionString) Resolve(ParseResult r)
    {
        var cs = r.GetValue(Connection) ?? Environment.GetEnvironmentVariable("ConnectionStrings__Sojourn");
        if (string.IsNullOrWhiteSpace(cs))
        {
            cs = "Data Source=" + Path.Combine("data", "sojourn.db");
        }

        var provider = r.GetValue(Provider)!.Trim().ToUpperInvariant();
        try
        {
            // Parsed here, so that a malformed string is a usage error and not a failure deep in EF Core.
            _ = provider switch
            {
                "SQLITE" => new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(cs).ToString(),
                "POSTGRES" or "POSTGRESQL" => new Npgsql.NpgsqlConnectionStringBuilder(cs).ToString(),
                _ => throw new CliException($"--provider 应为 sqlite 或 postgres：{r.GetValue(Provider)}"),
            };
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new CliException($"数据库连接字符串无效（{e.Message}）。");
        }

        return (provider, cs);
    }
}
