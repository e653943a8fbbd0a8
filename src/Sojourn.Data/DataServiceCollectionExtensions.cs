using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sojourn.Data;

/// <summary>Chooses the provider from configuration: <c>Sojourn:Database:Provider</c> = sqlite | postgres.</summary>
public static class DataServiceCollectionExtensions
{
    public const string ConnectionStringName = "Sojourn";

    public static IServiceCollection AddSojournData(
        this IServiceCollection services, IConfiguration configuration, string defaultSqlitePath)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var provider = (configuration["Sojourn:Database:Provider"] ?? "sqlite").Trim().ToUpperInvariant();
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        switch (provider)
        {
            case "SQLITE":
                var sqlite = string.IsNullOrWhiteSpace(connectionString)
                    ? $"Data Source={defaultSqlitePath}"
                    : connectionString;
                AddPooled<SqliteSojournDbContext>(services, o => Quiet(o.UseSqlite(sqlite)));
                break;
            case "POSTGRES" or "POSTGRESQL":
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        "Sojourn:Database:Provider=postgres needs ConnectionStrings:Sojourn (env ConnectionStrings__Sojourn).");
                }

                var pooled = WithPostgresDefaults(connectionString);
                AddPooled<PostgresSojournDbContext>(services, o => Quiet(o.UseNpgsql(pooled)));
                break;
            default:
                throw new InvalidOperationException(
                    $"Unknown Sojourn:Database:Provider '{provider}': use sqlite or postgres.");
        }

        return services;
    }

    /// <summary>
    /// The scope's <see cref="SojournDbContext"/> is leased from a pool (EF Core context pooling: its internal services
    /// are built once per instance, not once per request) and bound to the scope's actor and protector; disposing the
    /// scope returns it, reset, to the pool.
    /// </summary>
    private static void AddPooled<TContext>(IServiceCollection services, Action<DbContextOptionsBuilder> configure)
        where TContext : SojournDbContext
    {
        services.AddPooledDbContextFactory<TContext>(configure);
        services.AddScoped<SojournDbContext>(sp =>
        {
            var db = sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext();
            db.Bind(sp.GetService<Access.ICurrentActor>(), sp.GetService<Security.IdentityProtector>());
            return db;
        });
    }

    /// <summary>
    /// Npgsql settings Sojourn relies on unless the connection string names them itself:
    /// <c>No Reset On Close=true</c>: the app keeps no session state (no SET, LISTEN or session advisory lock; its
    /// advisory locks are transaction-scoped), so the <c>DISCARD ALL</c> that would otherwise run on every pooled open
    /// only costs the server work and throws away the prepared statements; <c>Max Auto Prepare=32</c>: the hot
    /// statements (token look-up, registration read, audit insert) are parsed and planned once per connection, not
    /// on every call. Durability is untouched (synchronous_commit and fsync stay the server's).
    /// </summary>
    public static string WithPostgresDefaults(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 32;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// A failed save is the caller's to judge: an expected conflict (unique key, lost race) becomes a 409 and is
    /// not an error, and anything else propagates to the host's exception handler, which logs it once. So EF's
    /// own error-level entries with the stack trace for the same failure are demoted to Debug.
    /// </summary>
    private static DbContextOptionsBuilder Quiet(DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Log(
            (CoreEventId.SaveChangesFailed, LogLevel.Debug),
            (RelationalEventId.CommandError, LogLevel.Debug)));

    /// <summary>Applies migrations; for SQLite also turns on WAL so readers do not block the writer.</summary>
    public static async Task MigrateSojournDatabaseAsync(this SojournDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.IsSqlite())
        {
            var path = db.Database.GetDbConnection().DataSource;
            var folder = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        await db.Database.MigrateAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}
