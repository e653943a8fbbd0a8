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

return options.Floor ? await FloorServer.RunAsync() : options.Generate ? Generate(options) : await BenchAsync(options, cts.Token);

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
    // Other jobs on the machine skew every rate: say how busy it was when the run began.
    var loadAverage = File.Exists("/proc/loadavg") ? "load average " + string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + $" on {Environment.ProcessorCount} cores" : "unknown";
    var today = ChinaToday();
    var concurrencies = o.Concurrencies;
    var maxC = concurrencies.Max();
    int[] appCounts = [.. o.Apps.Order()];
    var maxApps = appCounts.Max();
    Console.WriteLine($"居住登记基准 / registration benchmark: count={o.Count} concurrency={string.Join(',', concurrencies)} apps={string.Join(',', appCounts)} seconds={o.Seconds} warmup={o.Warmup} seed={o.Seed} residence={o.ResidenceProvince ?? "全国"}");

    // 1. People: each app's warm-up first, then one set per measured POST phase (apps × concurrency),
    //    all checked with the project's own validators.
    var generator = new PeopleGenerator(new GeneratorOptions(o.Seed, today, o.ResidenceProvince));
    var people = generator.Generate().Take((o.Warmup * maxApps) + (o.Count * appCounts.Length * concurrencies.Count)).ToArray();
    var invalid = people.Count(p => PersonCheck.Problems(p, today).Count > 0);
    if (invalid > 0)
    {
        await Console.Error.WriteLineAsync($"{invalid} generated people fail validation; run `-- generate --verify` to see why.");
        return 1;
    }

    var taken = 0;
    Range Take(int n)
    {
        var r = taken..(taken + n);
        taken += n;
        return r;
    }

    var warmups = Enumerable.Range(0, maxApps).Select(_ => Take(o.Warmup)).ToArray();
    var slices = appCounts.SelectMany(a => concurrencies.Select(c => (a, c))).ToDictionary(k => k, _ => Take(o.Count));
    var measured = people[(o.Warmup * maxApps)..];
    var bodies = people.Select(RegistrationClient.Prepare).ToArray();
    Console.WriteLine($"  生成并校验 {people.Length} 人 / generated and validated: {total.Elapsed.TotalSeconds:F1}s");

    // 2. Throwaway PostgreSQL and the real app over HTTP.
    await using var cluster = await PostgresCluster.StartAsync(maxConnections: Math.Max(100, (4 * maxC * maxApps) + 40), o.Statements, ct);
    await cluster.CreateDatabaseAsync("sojourn", ct);
    await using var statements = o.Statements ? await StatementStats.CreateAsync(cluster.ConnectionString("sojourn"), ct) : null;
    Console.WriteLine($"  PostgreSQL {cluster.Version} on 127.0.0.1:{cluster.Port}: {total.Elapsed.TotalSeconds:F1}s");
    var sm4 = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    var hmac = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
    var appConnection = cluster.ConnectionString("sojourn") + (o.AppNpgsql is { } extra ? ";" + extra : "");
    // One deployment: every node gets the same keys and the same audit files (signing key, checkpoints);
    // the CLI that verifies the log afterwards gets them too.
    var auditDir = Directory.CreateTempSubdirectory("sojourn-bench-audit-").FullName;
    var auditKeyFile = o.AuditKeyFile ?? Path.Combine(auditDir, "audit-signing.key");
    var auditCheckpointFile = o.AuditCheckpointFile ?? Path.Combine(auditDir, "audit-checkpoints.jsonl");
    var auditSettings = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Sojourn__Audit__SigningKeyFile"] = auditKeyFile,
        ["Sojourn__Audit__CheckpointFile"] = auditCheckpointFile,
    };
    var cliSettings = new Dictionary<string, string>(auditSettings, StringComparer.Ordinal)
    {
        ["Sojourn__Database__Provider"] = "postgres",
        ["ConnectionStrings__Sojourn"] = appConnection,
        ["Sojourn__Crypto__Sm4Key"] = sm4,
        ["Sojourn__Crypto__HmacKey"] = hmac,
    };
    AuditVerification? audit = null;
    var running = new List<WebAppProcess>();
    var clients = new List<RegistrationClient>();
    var meter = new CpuMeter(() => [.. running.Select(a => a.Process)], () => cluster.PostmasterPid);
    async Task<PhaseResult> Measured(PhaseKind kind, int apps, Func<Task<PhaseResult>> phase)
    {
        if (statements is not null)
        {
            await statements.ResetAsync(ct);
        }

        var before = meter.Sample();
        var result = await phase();
        var cpu = CpuMeter.PerOp(before, meter.Sample(), result.Rows ?? result.Operations + result.Errors, apps > 0);
        var done = result with { Cpu = cpu, Kind = kind, Apps = apps };
        Print(done);
        if (statements is not null)
        {
            Console.WriteLine(await statements.ReportAsync(result.Operations, ct));
        }

        return done;
    }

    var phases = new List<PhaseResult>();
    double appIdle = 0, pgIdle = 0, settleSeconds = 0;
    var ids = new Guid[people.Length];
    var maxPhase = TimeSpan.FromSeconds(o.Seconds);
    string[] reach = o.ResidenceProvince is { } province
        ? [province]
        : [.. Sojourn.Domain.ProvinceCodes.All.Select(p => p.ToString("00", CultureInfo.InvariantCulture))];
    try
    {
        foreach (var appCount in appCounts)
        {
            // Start the app processes this step needs, one after another (only the first migrates an
            // empty database and seeds it); each new one is warmed up (JIT, pools, plan caches), unmeasured.
            while (running.Count < appCount)
            {
                var app = await WebAppProcess.StartAsync(o.WebDll ?? WebAppProcess.DefaultDllPath(), appConnection, sm4, hmac, auditSettings, ct);
                running.Add(app);
                var client = new RegistrationClient(app.BaseAddress, maxC);
                clients.Add(client);
                Console.WriteLine($"  Sojourn.Web #{running.Count} at {app.BaseAddress}: {total.Elapsed.TotalSeconds:F1}s");
                if (clients.Count == 1)
                {
                    await client.SignInAsync(reach, ct);
                }
                else
                {
                    // The same collector and bearer token on every node: tokens live in the shared database.
                    client.SignInAs(clients[0]);
                }

                var warm = warmups[running.Count - 1];
                await LoadRunner.RunAsync("warm-up POST", o.Warmup, maxC, maxPhase, async (i, t) =>
                {
                    var k = warm.Start.Value + i;
                    ids[k] = await client.DeclareAsync(bodies[k], t);
                    return ids[k] != Guid.Empty;
                }, ct);
                // The warm-up POSTs may have run out of time: read only what exists.
                var warmIds = ids[warm].Where(id => id != Guid.Empty).ToArray();
                if (warmIds.Length > 0)
                {
                    await LoadRunner.RunAsync("warm-up GET", o.Warmup, maxC, maxPhase, (i, t) => client.GetAsync(warmIds[i % warmIds.Length], t), ct);
                }
            }

            // Settle: after the warm-up the runtime keeps recompiling hot methods (tiered JIT) in the
            // background, which on a small busy machine takes many seconds and would be billed to the
            // measured requests. Wait (at most 30 s) until the idle apps use under 5% of a core each.
            var settle = Stopwatch.StartNew();
            do
            {
                var idleBefore = meter.Sample();
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                var idleAfter = meter.Sample();
                appIdle = idleAfter.AppSince(idleBefore).TotalMilliseconds / 10;
                pgIdle = (idleAfter.Database - idleBefore.Database).TotalMilliseconds / 10;
            }
            while (appIdle >= 5 * appCount && settle.Elapsed < TimeSpan.FromSeconds(o.SettleSeconds));
            settleSeconds = settle.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  apps={appCount} settled after {settleSeconds:F0}s: idle apps {appIdle:F1}% of a core, PostgreSQL {pgIdle:F1}%"));

            // 3. Measured, at each concurrency: submissions, then reads of what was submitted. Worker w
            //    talks to app w mod apps (round-robin over the nodes, each worker keeps its node).
            foreach (var c in concurrencies)
            {
                var slice = slices[(appCount, c)];
                var post = await Measured(PhaseKind.Post, appCount, () => LoadRunner.RunAsync("HTTP POST /api/v1/registrations", o.Count, c, maxPhase, async (w, i, t) =>
                {
                    var k = slice.Start.Value + i;
                    ids[k] = await clients[w % appCount].DeclareAsync(bodies[k], t);
                    return ids[k] != Guid.Empty;
                }, ct));
                phases.Add(post);
                var created = ids[slice].Where(id => id != Guid.Empty).ToArray();
                if (created.Length == 0)
                {
                    await Console.Error.WriteLineAsync("No registration was created; app output:\n" + running[0].Output);
                    return 1;
                }

                phases.Add(await Measured(PhaseKind.Get, appCount, () => LoadRunner.RunAsync("HTTP GET /api/v1/registrations/{id}", o.Count, c, maxPhase,
                    (w, i, t) => clients[w % appCount].GetAsync(created[i % created.Length], t), ct)));
            }
        }

        // The log every node wrote, verified as the product verifies it, while the nodes still run (a
        // background sealer may need them); retried for up to 30 s before it counts as failed.
        Console.WriteLine($"  审计校验 / audit verification ({running.Count} app processes wrote to the log): {total.Elapsed.TotalSeconds:F1}s");
        audit = await AuditVerifier.RunAsync(o.CliDll ?? AuditVerifier.DefaultDllPath(), cliSettings, auditCheckpointFile, TimeSpan.FromSeconds(30), ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {audit.Command}: exit {AuditVerifier.Describe(audit.ExitCode)} after {audit.Attempts} attempt(s), {audit.Seconds:F1}s: {audit.Output.ReplaceLineEndings(" ")}"));
    }
    finally
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }

        // Warnings and errors the apps logged (the log level is Warning), shortened.
        foreach (var (app, n) in running.Select((a, n) => (a, n + 1)))
        {
            var logged = app.OutputSinceStartup.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (logged.Length > 0)
            {
                await Console.Error.WriteLineAsync($"  app #{n} logged {logged.Length} lines; last ones:\n    " + string.Join("\n    ", logged.TakeLast(8)));
            }
        }

        // The ceilings get the machine to themselves.
        var stopping = running.ToArray();
        running.Clear();
        foreach (var app in stopping)
        {
            await app.DisposeAsync();
        }

        if (o.AuditKeyFile is null && o.AuditCheckpointFile is null)
        {
            Directory.Delete(auditDir, recursive: true);
        }
    }

    // 4. Ceilings on the same database with the same rows (those of the first app count's POST phases),
    //    at each concurrency.
    var protector = IdentityProtector.FromHex(sm4, hmac);
    var now = DateTime.UtcNow;
    StoredRegistration[] Rows(Range r) => [.. people[r].Select(p => StoredRegistration.From(p, protector, today, now))];
    // The ceiling is the best PostgreSQL can do: prepared statements, no session reset per pooled open.
    var builder = new NpgsqlDataSourceBuilder(cluster.ConnectionString("sojourn") + ";Max Auto Prepare=32;Auto Prepare Min Usages=2;No Reset On Close=true");
    await using var dataSource = builder.Build();
    var ceilings = new Ceilings(dataSource);
    await ceilings.PrepareAsync(ct);
    var maxCeiling = TimeSpan.FromSeconds(o.Seconds);
    var warmRows = Rows(warmups[0]);
    var readIds = ids.Where(id => id != Guid.Empty).ToArray();
    await LoadRunner.RunAsync("warm-up INSERT", o.Warmup, maxC, maxCeiling, (i, t) => ceilings.InsertAsync(warmRows[i], t), ct);
    await LoadRunner.RunAsync("warm-up SELECT", o.Warmup, maxC, maxCeiling, (i, t) => ceilings.SelectAsync(readIds[i % readIds.Length], t), ct);

    // The HTTP floor (FloorServer): the same two requests through a minimal ASP.NET Core process with the ceilings'
    // SQL, warmed up like an app; it gets the machine to itself too.
    var floor = await FloorServer.StartAsync(cluster.ConnectionString("sojourn"), sm4, hmac, today, ct);
    running.Add(floor);
    try
    {
        using var floorClient = new RegistrationClient(floor.BaseAddress, maxC, "floor/registrations");
        await LoadRunner.RunAsync("warm-up floor POST", o.Warmup, maxC, maxCeiling, (i, t) => FloorPost(floorClient, bodies[warmups[0].Start.Value + i], t), ct);
        await LoadRunner.RunAsync("warm-up floor GET", o.Warmup, maxC, maxCeiling, (i, t) => floorClient.GetAsync(readIds[i % readIds.Length], t), ct);
        await Task.Delay(TimeSpan.FromSeconds(2), ct);
        foreach (var c in concurrencies)
        {
            var slice = slices[(appCounts[0], c)];
            phases.Add(await Measured(PhaseKind.FloorPost, 1, () => LoadRunner.RunAsync("HTTP floor POST (minimal ASP.NET Core + raw INSERT)", o.Count, c, maxCeiling,
                (i, t) => FloorPost(floorClient, bodies[slice.Start.Value + i], t), ct)));
            phases.Add(await Measured(PhaseKind.FloorGet, 1, () => LoadRunner.RunAsync("HTTP floor GET (minimal ASP.NET Core + bare SELECT)", o.Count, c, maxCeiling,
                (i, t) => floorClient.GetAsync(readIds[i % readIds.Length], t), ct)));
        }
    }
    finally
    {
        running.Clear();
        await floor.DisposeAsync();
    }

    foreach (var c in concurrencies)
    {
        var rows = Rows(slices[(appCounts[0], c)]);
        phases.Add(await Measured(PhaseKind.Insert, 0, () => LoadRunner.RunAsync("raw INSERT (Npgsql, 1 round trip/registration)", o.Count, c, maxCeiling,
            (i, t) => ceilings.InsertAsync(rows[i], t), ct)));
        phases.Add(await Measured(PhaseKind.Select, 0, () => LoadRunner.RunAsync("SELECT by primary key", o.Count, c, maxCeiling,
            (i, t) => ceilings.SelectAsync(readIds[i % readIds.Length], t), ct)));
    }

    await ceilings.CopyAsync(warmRows, ct);
    await ceilings.TruncateCopyTargetAsync(ct);
    var copyRows = Rows(slices[(appCounts[0], concurrencies[0])]);
    var copyBefore = meter.Sample();
    var copyTime = await ceilings.CopyAsync(copyRows, ct);
    var copyCpu = CpuMeter.PerOp(copyBefore, meter.Sample(), copyRows.Length, appRunning: false);
    var copied = await ceilings.CountAsync("ceiling_copy", "Registrations", ct);
    var copy = new PhaseResult("binary COPY (1 connection)", copied == copyRows.Length ? 1 : 0, copied == copyRows.Length ? 0 : 1,
        copyTime.TotalSeconds, [], copied)
    { Cpu = copyCpu, Kind = PhaseKind.Copy };
    Print(copy);
    phases.Add(copy);

    // 5. Results.
    var children = measured.Sum(p => p.Children.Count);
    var environment = new List<(string, string)>
    {
        ("命令 Command", "dotnet run -c Release --project bench/Sojourn.Bench.Registration -- " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1))),
        ("时间 When (UTC)", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
        ("提交 Commit", GitCommit()),
        ("机器 Machine", $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; load generator, app(s) and PostgreSQL share it"),
        ("数据库 Database", $"PostgreSQL {cluster.Version}, throwaway cluster on 127.0.0.1, fsync and synchronous_commit on (defaults), shared_buffers 256MB"),
        ("参数 Parameters", $"count {o.Count} per phase, concurrency {string.Join(", ", concurrencies)}, apps {string.Join(", ", appCounts)}, max {o.Seconds}s per phase, warm-up {o.Warmup}, seed {o.Seed}, residence {o.ResidenceProvince ?? "nationwide"}"),
        ("连接 Connections", $"app: Npgsql defaults{(o.AppNpgsql is null ? "" : " + " + o.AppNpgsql)}; ceilings: Max Auto Prepare=32, No Reset On Close=true"),
        ("数据 Data", $"{measured.Length} people prepared ({children} accompanying children, {measured.Count(p => p.Children.Count > 0)} with children, {measured.Count(p => p.EthnicGroup != "01")} non-Han); {ids.Count(id => id != Guid.Empty)} registrations created"),
        ("审计文件 Audit files", $"Sojourn__Audit__SigningKeyFile={auditKeyFile}, Sojourn__Audit__CheckpointFile={auditCheckpointFile} (the same for every app node and the CLI){(o.AuditKeyFile is null && o.AuditCheckpointFile is null ? ", deleted after the run" : "")}"),
        ("负载 Load at start", loadAverage),
        ("空闲 Idle", string.Create(CultureInfo.InvariantCulture, $"after warm-up the app(s) settled (tiered JIT) for {settleSeconds:F0}s; last idle second: apps {appIdle:F1}% of a core, PostgreSQL {pgIdle:F1}%")),
        ("总用时 Total time", $"{total.Elapsed.TotalSeconds:F0}s"),
    };
    var report = Report.Build(environment, phases, audit);
    Console.WriteLine();
    Console.WriteLine(report);
    var resultsDir = Path.Combine(BuildInfo.RepoRoot, "bench", "results");
    Directory.CreateDirectory(resultsDir);
    var file = Path.Combine(resultsDir, $"registration-{DateTime.UtcNow:yyyy-MM-dd-HHmm}.md");
    await File.WriteAllTextAsync(file, report, ct);
    Console.WriteLine($"写入 / written: {file}");
    if (audit is not { Passed: true })
    {
        await Console.Error.WriteLineAsync("审计校验未通过 / audit verification failed: the run fails.");
    }

    return phases.All(p => p.Errors == 0) && audit is { Passed: true } ? 0 : 1;
}

static async Task<bool> FloorPost(RegistrationClient client, RegistrationClient.Prepared body, CancellationToken ct) =>
    await client.DeclareAsync(body, ct) != Guid.Empty;

static void Print(PhaseResult p) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  {p.Name}{(p.Apps > 0 ? $" apps={p.Apps}" : "")}{(p.Kind == PhaseKind.Copy ? "" : $" c={p.Concurrency}")}: {p.Rows ?? p.Operations} ok, {p.Errors} errors, {p.Seconds:F2}s, {p.PerSecond:F0}/s, p50 {F(p.Percentile(50))} ms, p95 {F(p.Percentile(95))} ms, p99 {F(p.Percentile(99))} ms, CPU ms/op bench {F(p.Cpu?.BenchMs)} app {F(p.Cpu?.AppMs)} pg {F(p.Cpu?.DatabaseMs)}"));

static string F(double? value) => value is { } v ? v.ToString("F2", CultureInfo.InvariantCulture) : "–";

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
