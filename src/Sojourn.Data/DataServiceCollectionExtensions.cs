using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

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
                services.AddDbContext<SojournDbContext, SqliteSojournDbContext>(o => o.UseSqlite(sqlite));
                break;
            case "POSTGRES" or "POSTGRESQL":
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        "Sojourn:Database:Provider=postgres needs ConnectionStrings:Sojourn (env ConnectionStrings__Sojourn).");
                }

                services.AddDbContext<SojournDbContext, PostgresSojournDbContext>(o => o.UseNpgsql(connectionString));
                break;
            default:
                throw new InvalidOperationException(
                    $"Unknown Sojourn:Database:Provider '{provider}': use sqlite or postgres.");
        }

        return services;
    }

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
