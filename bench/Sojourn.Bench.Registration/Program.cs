using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using Sojourn.Bench.Registration;
using Sojourn.Bench.Registration.Generation;
using Sojourn.Bench.Registration.Infrastructure;
using Sojourn.Bench.Registration.Measurement;
using Sojourn.Data.Security;

Console.OutputEncoding = Encoding.UTF8;
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    await Console.Error.WriteLineAsync(BenchOptions.Usage);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

return options.Generate ? Generate(options) : await BenchAsync(options, cts.Token);

// `generate`: people as JSON lines on stdout (synthetic identity numbers in full: this is test data).
static int Generate(BenchOptions options)
{
    var today = options.Today ?? ChinaToday();
    var generator = new PeopleGenerator(new GeneratorOptions(options.Seed, today, options.ResidenceProvince));
    var bad = 0;
    var index = 0;
    foreach (var person in generator.Generate().Take(options.Count))
    {
        index++;
        var problems = PersonCheck.Problems(person, today);
        bad += problems.Count > 0 ? 1 : 0;
        if (!options.VerifyOnly)
        {
            Console.WriteLine(JsonSerializer.Serialize(person, JsonOptions.Lines));
        }

        foreach (var p in problems)
        {
            Console.Error.WriteLine($"#{index}: {p}");
        }
    }

    Console.Error.WriteLine($"生成 {options.Count} 人，校验失败 {bad} 人 / generated {options.Count}, {bad} failed validation");
    return bad == 0 ? 0 : 1;
}

static async Task<int> BenchAsync(BenchOptions o, CancellationToken ct)
{
    var total = Stopwatch.StartNew();
    var today = ChinaToday();
    var c = o.Concurrency;
    Console.WriteLine($"居住登记基准 / registration benchmark: count={o.Count} concurrency={c} seconds={o.Seconds} warmup={o.Warmup} seed={o.Seed} residence={o.ResidenceProvince ?? "全国"}");

    // 1. People: warm-up first, then the measured set; all checked with the project's own validators.
    var generator = new PeopleGenerator(new GeneratorOptions(o.Seed, today, o.ResidenceProvince));
    var people = generator.Generate().Take(o.Warmup + o.Count).ToArray();
    var invalid = people.Count(p => PersonCheck.Problems(p, today).Count > 0);
    if (invalid > 0)
    {
        await Console.Error.WriteLineAsync($"{invalid} generated people fail validation; run `-- generate --verify` to see why.");
        return 1;
    }

    var measured = people[o.Warmup..];
    var bodies = people.Select(RegistrationClient.Prepare).ToArray();
    Console.WriteLine($"  生成并校验 {people.Length} 人 / generated and validated: {total.Elapsed.TotalSeconds:F1}s");

    // 2. Throwaway PostgreSQL and the real app over HTTP.
    await using var cluster = await PostgresCluster.StartAsync(maxConnections: Math.Max(100, (4 * c) + 40), ct);
    await cluster.CreateDatabaseAsync("sojourn", ct);
    Console.WriteLine($"  PostgreSQL {cluster.Version} on 127.0.0.1:{cluster.Port}: {total.Elapsed.TotalSeconds:F1}s");
    var sm4 = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    var hmac = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
    var appConnection = cluster.ConnectionString("sojourn") + (o.AppNpgsql is { } extra ? ";" + extra : "");
    var app = await WebAppProcess.StartAsync(o.WebDll ?? WebAppProcess.DefaultDllPath(), appConnection, sm4, hmac, ct);
    var appRunning = true;
    var meter = new CpuMeter(() => appRunning ? app.Process : null, () => cluster.PostmasterPid);
    async Task<PhaseResult> Measured(Func<Task<PhaseResult>> phase)
    {
        var before = meter.Sample();
        var result = await phase();
        var cpu = CpuMeter.PerOp(before, meter.Sample(), result.Rows ?? result.Operations + result.Errors, appRunning);
        return result with { Cpu = cpu };
    }

    PhaseResult post, get;
    double appIdle, pgIdle, settleSeconds;
    var ids = new Guid[people.Length];
    try
    {
        Console.WriteLine($"  Sojourn.Web at {app.BaseAddress}: {total.Elapsed.TotalSeconds:F1}s");
        using var client = new RegistrationClient(app.BaseAddress, c);
        string[] reach = o.ResidenceProvince is { } province
            ? [province]
            : [.. Sojourn.Domain.ProvinceCodes.All.Select(p => p.ToString("00", System.Globalization.CultureInfo.InvariantCulture))];
        await client.SignInAsync(reach, ct);
        var maxPhase = TimeSpan.FromSeconds(o.Seconds);

        // 3. Warm-up (JIT, pools, plan caches): not measured.
        await LoadRunner.RunAsync("warm-up POST", o.Warmup, c, maxPhase, async (i, t) =>
        {
            ids[i] = await client.DeclareAsync(bodies[i], t);
            return ids[i] != Guid.Empty;
        }, ct);
        // The warm-up POSTs may have run out of time: read only what exists.
        var warmIds = ids[..o.Warmup].Where(id => id != Guid.Empty).ToArray();
        if (warmIds.Length > 0)
        {
            await LoadRunner.RunAsync("warm-up GET", o.Warmup, c, maxPhase, (i, t) => client.GetAsync(warmIds[i % warmIds.Length], t), ct);
        }

        // Settle: after the warm-up the runtime keeps recompiling hot methods (tiered JIT) in the
        // background, which on a small busy machine takes many seconds and would be billed to the
        // measured requests. Wait (at most 30 s) until the idle app uses under 5% of a core.
        var settle = Stopwatch.StartNew();
        do
        {
            var idleBefore = meter.Sample();
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var idleAfter = meter.Sample();
            appIdle = (idleAfter.App - idleBefore.App).TotalMilliseconds / 10;
            pgIdle = (idleAfter.Database - idleBefore.Database).TotalMilliseconds / 10;
        }
        while (appIdle >= 5 && settle.Elapsed < TimeSpan.FromSeconds(30));
        settleSeconds = settle.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  settled after {settleSeconds:F0}s: idle app {appIdle:F1}% of a core, PostgreSQL {pgIdle:F1}%"));

        // 4. Measured: submissions, then reads of what was submitted.
        post = await Measured(() => LoadRunner.RunAsync("HTTP POST /api/v1/registrations", o.Count, c, maxPhase, async (i, t) =>
        {
            var k = o.Warmup + i;
            ids[k] = await client.DeclareAsync(bodies[k], t);
            return ids[k] != Guid.Empty;
        }, ct));
        Print(post);
        var created = ids.Where(id => id != Guid.Empty).ToArray();
        if (created.Length == 0)
        {
            await Console.Error.WriteLineAsync("No registration was created; app output:\n" + app.Output);
            return 1;
        }

        get = await Measured(() => LoadRunner.RunAsync("HTTP GET /api/v1/registrations/{id}", o.Count, c, maxPhase,
            (i, t) => client.GetAsync(created[i % created.Length], t), ct));
        Print(get);
    }
    finally
    {
        // Warnings and errors the app logged (the log level is Warning), shortened.
        var logged = app.OutputSinceStartup.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (logged.Length > 0)
        {
            await Console.Error.WriteLineAsync($"  app logged {logged.Length} lines; last ones:\n    " + string.Join("\n    ", logged.TakeLast(8)));
        }

        // The ceilings get the machine to themselves.
        appRunning = false;
        await app.DisposeAsync();
    }

    // 5. Ceilings on the same database and the same rows.
    var protector = IdentityProtector.FromHex(sm4, hmac);
    var now = DateTime.UtcNow;
    var rows = people.Select(p => StoredRegistration.From(p, protector, today, now)).ToArray();
    // The ceiling is the best PostgreSQL can do: prepared statements, no session reset per pooled open.
    var builder = new NpgsqlDataSourceBuilder(cluster.ConnectionString("sojourn") + ";Max Auto Prepare=32;Auto Prepare Min Usages=2;No Reset On Close=true");
    await using var dataSource = builder.Build();
    var ceilings = new Ceilings(dataSource);
    await ceilings.PrepareAsync(ct);
    var maxCeiling = TimeSpan.FromSeconds(o.Seconds);

    await LoadRunner.RunAsync("warm-up INSERT", o.Warmup, c, maxCeiling, (i, t) => ceilings.InsertAsync(rows[i], t), ct);
    var insert = await Measured(() => LoadRunner.RunAsync("raw INSERT (Npgsql, 1 round trip/registration)", o.Count, c, maxCeiling,
        (i, t) => ceilings.InsertAsync(rows[o.Warmup + i], t), ct));
    Print(insert);

    var readIds = ids.Where(id => id != Guid.Empty).ToArray();
    await LoadRunner.RunAsync("warm-up SELECT", o.Warmup, c, maxCeiling, (i, t) => ceilings.SelectAsync(readIds[i % readIds.Length], t), ct);
    var select = await Measured(() => LoadRunner.RunAsync("SELECT by primary key", o.Count, c, maxCeiling,
        (i, t) => ceilings.SelectAsync(readIds[i % readIds.Length], t), ct));
    Print(select);

    await ceilings.CopyAsync(rows[..o.Warmup], ct);
    await ceilings.TruncateCopyTargetAsync(ct);
    var copyRows = rows[o.Warmup..];
    var copyBefore = meter.Sample();
    var copyTime = await ceilings.CopyAsync(copyRows, ct);
    var copyCpu = CpuMeter.PerOp(copyBefore, meter.Sample(), copyRows.Length, appRunning: false);
    var copied = await ceilings.CountAsync("ceiling_copy", "Registrations", ct);
    var copy = new PhaseResult("binary COPY (1 connection)", copied == copyRows.Length ? 1 : 0, copied == copyRows.Length ? 0 : 1,
        copyTime.TotalSeconds, [], copied)
    { Cpu = copyCpu };
    Print(copy);

    // 6. Results.
    var children = measured.Sum(p => p.Children.Count);
    var environment = new List<(string, string)>
    {
        ("命令 Command", "dotnet run -c Release --project bench/Sojourn.Bench.Registration -- " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1))),
        ("时间 When (UTC)", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
        ("提交 Commit", GitCommit()),
        ("机器 Machine", $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; load generator, app and PostgreSQL share it"),
        ("数据库 Database", $"PostgreSQL {cluster.Version}, throwaway cluster on 127.0.0.1, fsync and synchronous_commit on (defaults), shared_buffers 256MB"),
        ("参数 Parameters", $"count {o.Count}, concurrency {c}, max {o.Seconds}s per phase, warm-up {o.Warmup}, seed {o.Seed}, residence {o.ResidenceProvince ?? "nationwide"}"),
        ("连接 Connections", $"app: Npgsql defaults{(o.AppNpgsql is null ? "" : " + " + o.AppNpgsql)}; ceilings: Max Auto Prepare=32, No Reset On Close=true"),
        ("数据 Data", $"{measured.Length} registrations with {children} accompanying children ({measured.Count(p => p.Children.Count > 0)} with children), {measured.Count(p => p.EthnicGroup != "01")} non-Han"),
        ("空闲 Idle", string.Create(CultureInfo.InvariantCulture, $"after warm-up the app settled (tiered JIT) for {settleSeconds:F0}s; last idle second: app {appIdle:F1}% of a core, PostgreSQL {pgIdle:F1}%")),
        ("总用时 Total time", $"{total.Elapsed.TotalSeconds:F0}s"),
    };
    var report = Report.Build(environment, post, get, insert, select, copy);
    Console.WriteLine();
    Console.WriteLine(report);
    var resultsDir = Path.Combine(BuildInfo.RepoRoot, "bench", "results");
    Directory.CreateDirectory(resultsDir);
    var file = Path.Combine(resultsDir, $"registration-{DateTime.UtcNow:yyyy-MM-dd-HHmm}.md");
    await File.WriteAllTextAsync(file, report, ct);
    Console.WriteLine($"写入 / written: {file}");
    return post.Errors == 0 && get.Errors == 0 && insert.Errors == 0 && select.Errors == 0 && copy.Errors == 0 ? 0 : 1;
}

static void Print(PhaseResult p) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {p.Name}: {p.Rows ?? p.Operations} ok, {p.Errors} errors, {p.Seconds:F2}s, {p.PerSecond:F0}/s, p50 {p.Percentile(50):F2} ms, p99 {p.Percentile(99):F2} ms, CPU ms/op bench {p.Cpu?.BenchMs:F2} app {p.Cpu?.AppMs:F2} pg {p.Cpu?.DatabaseMs:F2}"));

// The benchmark's own clock (not domain code): today in China for the generated dates.
static DateOnly ChinaToday() =>
    DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);

static string GitCommit()
{
    try
    {
        var psi = new ProcessStartInfo("git", "rev-parse --short HEAD")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = BuildInfo.RepoRoot,
        };
        using var p = Process.Start(psi)!;
        var text = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return p.ExitCode == 0 ? text : "unknown";
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return "unknown";
    }
}
