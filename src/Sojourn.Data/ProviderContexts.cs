using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Sojourn.Data;

/// <summary>SQLite: the zero-configuration default; migrations in Migrations/Sqlite.</summary>
internal sealed class SqliteSojournDbContext(DbContextOptions<SqliteSojournDbContext> options) : SojournDbContext(options);

/// <summary>PostgreSQL: production; migrations in Migrations/Postgres.</summary>
internal sealed class PostgresSojournDbContext(DbContextOptions<PostgresSojournDbContext> options) : SojournDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // Division prefix filters (LIKE '1401%') can use the index only with pattern operators.
        modelBuilder.Entity<Registrations.Registration>()
            .HasIndex(r => r.ResidenceDivisionCode)
            .HasOperators("text_pattern_ops")
            .HasDatabaseName("IX_Registrations_DivisionPrefix");
        modelBuilder.Entity<Permits.Permit>()
            .HasIndex(p => p.ResidenceDivisionCode)
            .HasOperators("text_pattern_ops")
            .HasDatabaseName("IX_Permits_DivisionPrefix");
    }
}

/// <summary>Lets `dotnet ef` build the SQLite context without the web host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteSojournDbContext>
{
    public SqliteSojournDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteSojournDbContext>()
            .UseSqlite("Data Source=design-time.db")
            .Options);
}

/// <summary>Lets `dotnet ef` build the PostgreSQL context; no server is contacted to add a migration.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresSojournDbContext>
{
    public PostgresSojournDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresSojournDbContext>()
            .UseNpgsql("Host=localhost;Database=sojourn_design")
            .Options);
}
