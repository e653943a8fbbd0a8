using Microsoft.EntityFrameworkCore;

namespace Sojourn.Data.Audit;

/// <summary>Opens the configured database outside the web host (the CLI's <c>sojourn audit verify</c>).</summary>
public static class AuditDatabase
{
    public static SojournDbContext Open(string provider, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return provider.Trim().ToUpperInvariant() switch
        {
            "SQLITE" => new SqliteSojournDbContext(new DbContextOptionsBuilder<SqliteSojournDbContext>().UseSqlite(connectionString).Options),
            "POSTGRES" or "POSTGRESQL" => new PostgresSojournDbContext(new DbContextOptionsBuilder<PostgresSojournDbContext>().UseNpgsql(connectionString).Options),
            _ => throw new ArgumentException($"Unknown provider '{provider}': use sqlite or postgres.", nameof(provider)),
        };
    }
}
