using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Sojourn.Application;
using Sojourn.Application.Actors;
using Sojourn.Application.Compliance;
using Sojourn.Application.Time;
using Sojourn.Bench.Registration.Infrastructure;
using Sojourn.Data;
using Sojourn.Data.Security;
using Sojourn.Rules.Compliance;

// usage: dotnet run -c Release --project bench/Sojourn.Bench.Compliance -- [stays=1000000]
var stays = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var today = new DateOnly(2026, 9, 1);
await using var cluster = await PostgresCluster.StartAsync(50, CancellationToken.None);
await cluster.CreateDatabaseAsync("bench", CancellationToken.None);
var connection = cluster.ConnectionString("bench");

var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Sojourn:Database:Provider"] = "postgres",
    ["ConnectionStrings:" + DataServiceCollectionExtensions.ConnectionStringName] = connection,
    ["Sojourn:Crypto:Sm4Key"] = "00112233445566778899aabbccddeeff",
    ["Sojourn:Crypto:HmacKey"] = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
}).Build();
var time = new FixedTime(new DateTimeOffset(today.ToDateTime(new TimeOnly(2, 0)), TimeSpan.Zero));
var services = new ServiceCollection();
services.AddSingleton<IConfiguration>(settings);
services.AddSingleton<TimeProvider>(time);
services.AddSingleton<ILegalClock>(new LegalClock(time, LegalClock.ChinaZone));
// The sweep logs each source's and each step's time (the profile): printed as they come.
services.AddLogging(b => b.AddProvider(new StepLogger()));
services.AddSingleton(ProtectorConfiguration.FromConfiguration(settings));
services.AddSojournData(settings, "unused.db");
services.AddSojournApplication();
services.AddComplianceUseCases();
await using var provider = services.BuildServiceProvider();

await using (var scope = provider.CreateAsyncScope())
{
    await scope.ServiceProvider.GetRequiredService<SojournDbContext>().Database.MigrateAsync();
}

// Stays in three places: 山西 (10 days), 新疆 (3 working days), 宁夏 (no period); arrivals over the last year. About
// 90 % met, 4 % late, 3 % undeclared past due (overdue), 3 % undeclared not yet due. Due days, bases and engine stamps
// come from the rules engine (one evaluation per place and arrival day, cached).
var places = new[] { "140105", "650102", "640104" };
var cache = new Dictionary<(string, DateOnly, bool), RegistrationDeadline>();
var random = new Random(14);
var load = Stopwatch.StartNew();
await using (var conn = new NpgsqlConnection(connection))
{
    await conn.OpenAsync();
    await using var copy = await conn.BeginBinaryImportAsync(
        "COPY \"Registrations\" (\"Id\", \"Status\", \"Version\", \"PersonName\", \"PersonIdHmac\", \"PersonIdMasked\", \"ResidenceDivisionCode\", "
        + "\"ResidenceAddressKey\", \"StationCode\", \"ArrivedOn\", \"DeclaredAt\", \"UpdatedAt\", \"RegisteredOn\", \"RegistrationDue\", "
        + "\"RegistrationDutyStatus\", \"RegistrationDutyBasis\", \"RegistrationPolicies\", \"RegistrationEngine\") FROM STDIN (FORMAT BINARY)");
    for (var i = 0; i < stays; i++)
    {
        var place = places[i % 3];
        var arrived = today.AddDays(-random.Next(5, 365));
        var roll = random.Next(100);
        var declared = roll < 94;
        var key = (place, arrived, declared);
        if (!cache.TryGetValue(key, out var d))
        {
            var facts = new StayFacts(place, "130102", arrived, null, 365, "work", "rental", new DateOnly(1990, 1, 1), "married");
            d = RegistrationDeadlines.Compute(facts, arrived.AddDays(1));
            cache[key] = d;
        }

        DateOnly? registeredOn = null;
        var status = d.Status;
        if (declared && d.Due is { } due)
        {
            registeredOn = roll < 90 ? arrived.AddDays(1) : due.AddDays(5);
            status = roll < 90 ? DutyStatuses.Met : DutyStatuses.Late;
        }
        else if (declared)
        {
            registeredOn = arrived.AddDays(1);
        }
        else if (roll >= 97 && d.Due is not null)
        {
            arrived = today.AddDays(-1); // not yet due: recompute below
            d = RegistrationDeadlines.Compute(new StayFacts(place, "130102", arrived, null, 365, "work", "rental", new DateOnly(1990, 1, 1), "married"), today);
            status = d.Status;
        }

        var id = Guid.CreateVersion7();
        await copy.StartRowAsync();
        await copy.WriteAsync(id, NpgsqlDbType.Uuid);
        await copy.WriteAsync(registeredOn is null ? "declared" : "confirmed", NpgsqlDbType.Varchar);
        await copy.WriteAsync(1, NpgsqlDbType.Integer);
        await copy.WriteAsync("测试" + i.ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Varchar);
        await copy.WriteAsync(i.ToString("x64", CultureInfo.InvariantCulture)[^64..], NpgsqlDbType.Varchar);
        await copy.WriteAsync("13010219900101****", NpgsqlDbType.Varchar);
        await copy.WriteAsync(place, NpgsqlDbType.Varchar);
        await copy.WriteAsync(place + "|ADDR" + i.ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Varchar);
        await copy.WriteAsync(place + "000001", NpgsqlDbType.Varchar);
        await copy.WriteAsync(arrived, NpgsqlDbType.Date);
        await copy.WriteAsync(DateTime.SpecifyKind(arrived.ToDateTime(TimeOnly.MinValue), DateTimeKind.Utc), NpgsqlDbType.TimestampTz);
        await copy.WriteAsync(DateTime.SpecifyKind(arrived.ToDateTime(TimeOnly.MinValue), DateTimeKind.Utc), NpgsqlDbType.TimestampTz);
        if (registeredOn is { } r)
        {
            await copy.WriteAsync(r, NpgsqlDbType.Date);
        }
        else
        {
            await copy.WriteNullAsync();
        }

        if (d.Due is { } dd)
        {
            await copy.WriteAsync(dd, NpgsqlDbType.Date);
        }
        else
        {
            await copy.WriteNullAsync();
        }

        await copy.WriteAsync(status, NpgsqlDbType.Varchar);
        await Nullable(copy, d.Basis);
        await Nullable(copy, d.Policies);
        await copy.WriteAsync(RegistrationDuties.Stamp(d.EngineVersion, d.PolicyHashes), NpgsqlDbType.Text);
    }

    await copy.CompleteAsync();
    // The importer holds the connection in the copy state until it is disposed: only then can ANALYZE run on it.
    await copy.DisposeAsync();
    await using var analyze = new NpgsqlCommand("ANALYZE \"Registrations\"", conn);
    await analyze.ExecuteNonQueryAsync();
}

Console.WriteLine($"loaded {stays:N0} stays with COPY in {load.Elapsed.TotalSeconds:F1} s");
var sweeps = new List<double>();
var opened = 0;
for (var run = 1; run <= 2; run++)
{
    await using var scope = provider.CreateAsyncScope();
    var actor = scope.ServiceProvider.GetRequiredService<CurrentActor>();
    actor.Set(new ActorIdentity("system:bench", "bench", "system", "", Sojourn.Data.Access.ActorScope.System));
    var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
    db.Database.SetCommandTimeout(600);
    var watch = Stopwatch.StartNew();
    var outcome = await scope.ServiceProvider.GetRequiredService<ComplianceSweepUseCase>().HandleAsync(actor, CancellationToken.None);
    watch.Stop();
    var result = outcome.Value;
    Console.WriteLine($"sweep {run}: {watch.Elapsed.TotalSeconds:F1} s — {result.Evaluated:N0} evaluated (stays become overdue, reports, permits), {result.Opened:N0} cases opened "
        + $"({string.Join(", ", result.OpenedBySource.Select(s => $"{s.Key} {s.Value:N0}"))})");
    sweeps.Add(watch.Elapsed.TotalSeconds);
    opened += result.Opened;
}

// The ceiling, measured in the same run on the same rows: what PostgreSQL alone takes to write the same cases and their
// opening events set-based — one bare INSERT … SELECT of every late or overdue stay into empty copies of the two tables
// (same columns, same indexes, unique DutyKey included), no jurisdiction condition, no conflict check, no per-chain
// split, no follow-up. The sweep's first run does this plus the status UPDATE, its bookkeeping and the other sources.
await using (var conn = new NpgsqlConnection(connection))
{
    await conn.OpenAsync();
    await Exec(conn, "CREATE TABLE ceiling_cases (LIKE \"ComplianceCases\" INCLUDING ALL); "
        + "CREATE TABLE ceiling_events (LIKE \"ComplianceCaseEvents\" INCLUDING ALL)");
    var ceiling = Stopwatch.StartNew();
    var rows = await Exec(conn,
        "INSERT INTO ceiling_cases (\"DutyKey\", \"Source\", \"SubjectId\", \"RegistrationId\", \"PersonIdHmac\", \"ResidenceDivisionCode\", \"StationCode\", "
        + "\"Duty\", \"Party\", \"DutyBasis\", \"Due\", \"DoneOn\", \"DutyStatus\", \"OrderToCorrect\", \"Warning\", \"FineOnlyIfUncorrected\", \"SanctionBasis\", "
        + "\"Policies\", \"Engine\", \"State\", \"Serious\", \"OpenedOn\", \"OpenedAt\", \"OpenedBy\", \"UpdatedAt\", \"Version\") "
        + "SELECT 'registration:' || r.\"Id\"::text || ':person.register-residence', 'registration', r.\"Id\", r.\"Id\", r.\"PersonIdHmac\", "
        + "r.\"ResidenceDivisionCode\", r.\"StationCode\", 'person.register-residence', 'person', r.\"RegistrationDutyBasis\", r.\"RegistrationDue\", "
        + "r.\"RegisteredOn\", r.\"RegistrationDutyStatus\", TRUE, FALSE, FALSE, 'x', r.\"RegistrationPolicies\", r.\"RegistrationEngine\", 'new', FALSE, "
        + "DATE '2026-09-01', now(), 'system:bench', now(), 1 FROM \"Registrations\" r "
        + "WHERE r.\"RegistrationDutyStatus\" IN ('late', 'overdue') AND r.\"Status\" <> 'ended' AND r.\"RegistrationEngine\" IS NOT NULL");
    await Exec(conn, "INSERT INTO ceiling_events (\"CaseId\", \"Number\", \"Kind\", \"On\", \"At\", \"Actor\", \"State\", \"Basis\") "
        + "SELECT c.\"Id\", 1, 'opened', c.\"OpenedOn\", c.\"OpenedAt\", c.\"OpenedBy\", c.\"State\", c.\"DutyBasis\" FROM ceiling_cases c");
    ceiling.Stop();
    var sweep = sweeps[0];
    Console.WriteLine($"ceiling: bare INSERT … SELECT of the same {rows:N0} cases and their events: {ceiling.Elapsed.TotalSeconds:F1} s");
    Console.WriteLine($"sweep 1 / ceiling = {sweep / Math.Max(ceiling.Elapsed.TotalSeconds, 0.001):F1}× (target: sweep under 30 s — {(sweep < 30 ? "met" : "NOT met")}); "
        + $"sweep 2 (nothing new) {sweeps[1]:F1} s; cases opened in both runs: {opened:N0}");
}

static async Task<int> Exec(NpgsqlConnection conn, string sql)
{
    await using var command = new NpgsqlCommand(sql, conn) { CommandTimeout = 600 };
    return await command.ExecuteNonQueryAsync();
}

static Task Nullable(NpgsqlBinaryImporter copy, string? value) =>
    value is null ? copy.WriteNullAsync() : copy.WriteAsync(value, NpgsqlDbType.Varchar);

/// <summary>Prints the sweep's own step timings (Sojourn.Application.Compliance at Information) to the console.</summary>
internal sealed class StepLogger : ILoggerProvider, ILogger
{
    public ILogger CreateLogger(string categoryName) => categoryName.StartsWith("Sojourn.Application.Compliance", StringComparison.Ordinal) ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Console.WriteLine("  " + formatter(state, exception));
    }

    public void Dispose()
    {
    }
}

/// <summary>The bench's fixed "now".</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
