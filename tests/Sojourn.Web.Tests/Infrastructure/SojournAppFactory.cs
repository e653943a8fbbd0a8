using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Sojourn.Web.Tests.Infrastructure;

/// <summary>A fixed "now": 2026-06-15 10:00 in China.</summary>
public sealed class FixedTimeProvider : TimeProvider
{
    public static readonly DateTimeOffset Now = new(2026, 6, 15, 2, 0, 0, TimeSpan.Zero);

    public static DateOnly Today => new(2026, 6, 15);

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// The app's clock in tests: <see cref="FixedTimeProvider.Now"/> until a test moves it (a permit's life
/// spans years). One per factory, so moving it affects only the test class that owns the factory.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private DateTimeOffset _now = FixedTimeProvider.Now;

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>10:00 China time on <paramref name="day"/>.</summary>
    public void SetToday(DateOnly day) => _now = new DateTimeOffset(day.ToDateTime(new TimeOnly(2, 0)), TimeSpan.Zero);

    public DateOnly Today => DateOnly.FromDateTime(_now.UtcDateTime.AddHours(8));

    public void Reset() => _now = FixedTimeProvider.Now;

    /// <summary>Moves the clock on by a span (waits, back-offs).</summary>
    public void Advance(TimeSpan by) => _now += by;
}

public enum DatabaseKind
{
    Sqlite,
    Postgres,
}

/// <summary>The web app over a fresh database of the given kind; one per test class.</summary>
public sealed class SojournAppFactory : WebApplicationFactory<Program>
{
    private readonly string _provider;
    private readonly string _connectionString;
    private readonly string? _sqliteFile;
    private readonly Action<IWebHostBuilder>? _configure;

    public SojournAppFactory(DatabaseKind kind, Action<IWebHostBuilder>? configure = null)
    {
        _configure = configure;
        Kind = kind;
        if (kind == DatabaseKind.Sqlite)
        {
            _sqliteFile = Path.Combine(Path.GetTempPath(), $"sojourn-test-{Guid.NewGuid():N}.db");
            _provider = "sqlite";
            _connectionString = $"Data Source={_sqliteFile};Default Timeout=60";
        }
        else
        {
            _provider = "postgres";
            _connectionString = PostgresCluster.Instance.CreateDatabase("sojourn_" + Guid.NewGuid().ToString("N")[..16]);
        }
    }

    public DatabaseKind Kind { get; }

    /// <summary>The app's clock; tests of long processes move it.</summary>
    public TestClock Clock { get; } = new();

    public string ConnectionString => _connectionString;

    /// <summary>The audit log's files outside the database; two factories over one database may share them.</summary>
    public string AuditDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "sojourn-audit-" + Guid.NewGuid().ToString("N"));

    public string AuditKeyFile => Path.Combine(AuditDirectory, "signing.key");

    public string AuditCheckpointFile => Path.Combine(AuditDirectory, "checkpoints.jsonl");

    /// <summary>A second app over the same database (another node): same audit key and checkpoint file.</summary>
    public SojournAppFactory(SojournAppFactory sameDatabase)
    {
        ArgumentNullException.ThrowIfNull(sameDatabase);
        Kind = sameDatabase.Kind;
        _provider = sameDatabase._provider;
        _connectionString = sameDatabase._connectionString;
        AuditDirectory = sameDatabase.AuditDirectory;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Sojourn:Database:Provider", _provider);
        builder.UseSetting("ConnectionStrings:Sojourn", _connectionString);
        builder.UseSetting("Sojourn:Seed:Demo", "false");
        builder.UseSetting("Sojourn:Crypto:Sm4Key", "00112233445566778899aabbccddeeff");
        builder.UseSetting("Sojourn:Crypto:HmacKey", "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100");
        builder.UseSetting("Sojourn:Registration:PhotoMaxBytes", "4096");
        builder.UseSetting("Sojourn:Registration:MaxPageSize", "50");
        builder.UseSetting("Sojourn:Access:SignInsPerMinute", "1000");
        builder.UseSetting("Sojourn:Access:IdLookupsPerMinute", "1000");
        builder.UseSetting("Sojourn:Policy:EvaluationsPerMinute", "1000");
        builder.UseSetting("Sojourn:TipOffs:SubmissionsPerHour", "1000");
        // Tests run the daily jobs through their endpoints, on the test's clock.
        builder.UseSetting("Sojourn:Permits:Sweep:IntervalMinutes", "0");
        builder.UseSetting("Sojourn:Reminders:IntervalMinutes", "0");
        // The audit signing key and checkpoint file of this factory's log (outside its database, never shared by accident).
        builder.UseSetting("Sojourn:Audit:SigningKeyFile", AuditKeyFile);
        builder.UseSetting("Sojourn:Audit:CheckpointFile", AuditCheckpointFile);
        builder.UseSetting("Sojourn:Audit:SealIntervalMilliseconds", "50");
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
        _configure?.Invoke(builder);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (_sqliteFile is not null)
        {
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(_sqliteFile + suffix);
            }
        }
    }
}

/// <summary>Class fixtures: one app and one database per test class.</summary>
public sealed class SqliteAppFixture : IDisposable
{
    public SqliteAppFixture() => Factory = new SojournAppFactory(DatabaseKind.Sqlite);

    public SojournAppFactory Factory { get; }

    public void Dispose() => Factory.Dispose();
}

public sealed class PostgresAppFixture : IDisposable
{
    public PostgresAppFixture()
    {
        if (PostgresCluster.FindBinDir() is null)
        {
            // In CI a missing PostgreSQL is a broken set-up, not a reason to pass.
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(PostgresCluster.EnableHint);
            }

            SkipReason = PostgresCluster.EnableHint;
            return;
        }

        Factory = new SojournAppFactory(DatabaseKind.Postgres);
    }

    public SojournAppFactory? Factory { get; }

    public string? SkipReason { get; }

    public void Dispose() => Factory?.Dispose();
}
