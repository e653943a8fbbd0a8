using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Audit;
using Sojourn.Web.Access;
using Sojourn.Web.Access.Audit;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Access;

/// <summary>
/// The sequencer (docs/adr/0006-audit-log-sequencer.md): two app nodes over one database produce one verifiable log;
/// on PostgreSQL, the real app killed with SIGKILL in the middle of a burst of writes loses no audit entry of a
/// committed write, keeps none of an uncommitted one, and after a restart seals everything into a log that verifies.
/// </summary>
public abstract class AuditSequencerTests(DatabaseKind kind)
{
    [SkippableFact]
    public async Task TwoNodes_ConcurrentWritesAndReads_OneVerifiableLog()
    {
        SkipWithoutPostgres();
        using var first = new SojournAppFactory(kind);
        using var client1 = await first.ClientAsAsync(Roles.Officer);
        using var second = new SojournAppFactory(first);
        using var client2 = await second.ClientAsAsync(Roles.Officer);

        var work = new List<Task>();
        foreach (var client in new[] { client1, client2 })
        {
            for (var i = 0; i < 4; i++)
            {
                work.Add(Task.Run(async () =>
                {
                    for (var j = 0; j < 5; j++)
                    {
                        var created = await client.PostAsJsonAsync("/api/v1/registrations", TestData.Declaration());
                        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                        var id = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!;
                        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/registrations/{id}")).StatusCode);
                    }
                }));
            }
        }

        await Task.WhenAll(work).WaitAsync(TimeSpan.FromMinutes(5));
        await Task.WhenAll(first.SealAuditAsync(), second.SealAuditAsync()).WaitAsync(TimeSpan.FromMinutes(2));

        var result = await first.VerifyAuditAsync();
        Assert.True(result.Intact, result.Problem);
        using var scope = first.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        Assert.Equal(0, await db.AuditEntries.CountAsync(a => a.Seq == null));
        Assert.Equal(result.Checked, await db.AuditEntries.CountAsync());
        Assert.True(result.Checked >= 80, $"{result.Checked} entries");
        Assert.True((await second.VerifyAuditOnlyAsync()).Intact);
    }

    [SkippableFact]
    public async Task Status_UnsealedEntryOlderThanAlarm_RaisesAlarm()
    {
        SkipWithoutPostgres();
        using var factory = new SojournAppFactory(kind, b =>
        {
            b.UseSetting("Sojourn:Audit:SealIntervalMilliseconds", "0");
            b.UseSetting("Sojourn:Audit:UnsealedAlarmSeconds", "30");
        });
        using var client = await factory.ClientAsAsync(Roles.Officer);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/registrations", TestData.Declaration())).StatusCode);
        var sealer = factory.Services.GetRequiredService<AuditSealer>();

        Assert.False((await sealer.StatusAsync(CancellationToken.None)).Alarm);
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        var late = await sealer.StatusAsync(CancellationToken.None);
        Assert.True(late.Alarm);
        Assert.True(late.Unsealed >= 1);

        await factory.SealAuditAsync();
        var sealedStatus = await sealer.StatusAsync(CancellationToken.None);
        Assert.False(sealedStatus.Alarm);
        Assert.Equal(0, sealedStatus.Unsealed);
    }

    private void SkipWithoutPostgres()
    {
        if (kind == DatabaseKind.Postgres && PostgresCluster.FindBinDir() is null)
        {
            Skip.If(!string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), PostgresCluster.EnableHint);
        }
    }
}

public sealed class SqliteAuditSequencerTests() : AuditSequencerTests(DatabaseKind.Sqlite);

public sealed class PostgresAuditSequencerTests() : AuditSequencerTests(DatabaseKind.Postgres)
{
    private const string Sm4Key = "00112233445566778899aabbccddeeff";
    private const string HmacKey = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

    /// <summary>
    /// kill -9 mid-burst: every write answered 2xx has its registration and its audit entry; every write entry has its
    /// registration (nothing of a rolled-back write); after a restart the sequencer seals everything and verify passes.
    /// </summary>
    [SkippableFact]
    public async Task Crash_KilledMidBurst_NoEntryLostNoneOrphaned_SealedAfterRestart()
    {
        if (PostgresCluster.FindBinDir() is null)
        {
            Skip.If(!string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), PostgresCluster.EnableHint);
        }

        using var overall = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var ct = overall.Token;
        using var factory = new SojournAppFactory(DatabaseKind.Postgres);
        // The child runs on the real clock: the token must be valid then.
        factory.Clock.Advance(DateTimeOffset.UtcNow - factory.Clock.GetUtcNow());
        var officer = await factory.CreateAsync(Roles.Officer);
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var arrived = today.AddDays(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var child = ChildApp.Start(factory, Sm4Key, HmacKey);
        try
        {
            using var http = new HttpClient { BaseAddress = child.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", officer.Token);
            await child.WaitReadyAsync(http, TimeSpan.FromSeconds(90), ct);

            var committed = new System.Collections.Concurrent.ConcurrentBag<Guid>();
            var killAfter = 25;
            using var gate = new SemaphoreSlim(8);
            var burst = Enumerable.Range(0, 200).Select(async _ =>
            {
                await gate.WaitAsync(ct);
                try
                {
                    if (child.Killed)
                    {
                        return;
                    }

                    using var response = await http.PostAsJsonAsync("/api/v1/registrations", TestData.Declaration(arrivedOn: arrived), ct);
                    if ((int)response.StatusCode is >= 200 and < 300)
                    {
                        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
                        committed.Add(Guid.Parse((string)body["id"]!));
                        if (committed.Count >= killAfter)
                        {
                            child.Kill(); // SIGKILL: no shutdown, no flush, requests in flight cut off
                        }
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    // Cut off by the kill: not answered, so either outcome is allowed for this write.
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            await Task.WhenAll(burst).WaitAsync(TimeSpan.FromMinutes(3), ct);
            Assert.True(child.Killed, "the burst ended before the kill: " + child.Output);
            Assert.True(committed.Count >= killAfter);

            using (var scope = factory.Services.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
                var written = await db.AuditEntries.AsNoTracking()
                    .Where(a => a.Action == "write" && a.Operation == "DeclareRegistration" && a.RegistrationId != null)
                    .Select(a => a.RegistrationId!.Value).ToListAsync(ct);
                var registrations = await db.Registrations.IgnoreQueryFilters().AsNoTracking().Select(r => r.Id).ToListAsync(ct);
                // Every answered write has its audit entry.
                Assert.Empty(committed.Except(written));
                // No entry without its write, no write without its entry (one transaction).
                Assert.Empty(written.Except(registrations));
                Assert.Empty(registrations.Except(written));
            }

            // Restart: the sequencer seals what the killed process left unsealed and signs the head.
            await child.DisposeAsync();
            child = ChildApp.Start(factory, Sm4Key, HmacKey);
            await child.WaitReadyAsync(http, TimeSpan.FromSeconds(90), ct);
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                using var scope = factory.Services.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
                if (!await db.AuditEntries.AnyAsync(a => a.Seq == null, ct))
                {
                    break;
                }

                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "entries still unsealed a minute after restart");
                await Task.Delay(200, ct);
            }

            var result = await factory.VerifyAuditAsync();
            Assert.True(result.Intact, result.Problem);
        }
        finally
        {
            await child.DisposeAsync();
        }
    }

    /// <summary>The real Sojourn.Web.dll as a child process against the factory's database and audit files.</summary>
    private sealed class ChildApp : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private ChildApp(Process process, Uri baseAddress)
        {
            _process = process;
            BaseAddress = baseAddress;
        }

        public Uri BaseAddress { get; }

        public bool Killed { get; private set; }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static ChildApp Start(SojournAppFactory factory, string sm4Key, string hmacKey)
        {
            var dll = Path.Combine(RepoRoot(), "src", "Sojourn.Web", "bin",
#if DEBUG
                "Debug",
#else
                "Release",
#endif
                "net10.0", "Sojourn.Web.dll");
            Assert.True(File.Exists(dll), "build Sojourn.Web first: " + dll);
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
            var psi = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = Path.GetDirectoryName(dll)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add(dll);
            var env = psi.Environment;
            env["ASPNETCORE_ENVIRONMENT"] = "Production";
            env["DOTNET_ENVIRONMENT"] = "Production";
            env["Kestrel__Endpoints__Http__Url"] = url;
            env["Sojourn__Database__Provider"] = "postgres";
            env["ConnectionStrings__Sojourn"] = factory.ConnectionString;
            env["Sojourn__Crypto__Sm4Key"] = sm4Key;
            env["Sojourn__Crypto__HmacKey"] = hmacKey;
            env["Sojourn__Seed__Demo"] = "false";
            env["Sojourn__Audit__SigningKeyFile"] = factory.AuditKeyFile;
            env["Sojourn__Audit__CheckpointFile"] = factory.AuditCheckpointFile;
            env["Sojourn__Audit__SealIntervalMilliseconds"] = "50";
            env["Sojourn__Permits__Sweep__IntervalMinutes"] = "0";
            env["Sojourn__Reminders__IntervalMinutes"] = "0";
            env["Logging__LogLevel__Default"] = "Warning";
            var process = Process.Start(psi) ?? throw new InvalidOperationException("Cannot start dotnet.");
            var app = new ChildApp(process, new Uri(url + "/"));
            process.OutputDataReceived += (_, e) => app.Append(e.Data);
            process.ErrorDataReceived += (_, e) => app.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return app;
        }

        public async Task WaitReadyAsync(HttpClient http, TimeSpan limit, CancellationToken ct)
        {
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < limit)
            {
                Assert.False(_process.HasExited, "Sojourn.Web exited:\n" + Output);
                try
                {
                    using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, probe.Token);
                    using var response = await new HttpClient { Timeout = TimeSpan.FromSeconds(5) }
                        .GetAsync(new Uri(BaseAddress, "api/v1/audit/public-key"), linked.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        http.BaseAddress ??= BaseAddress;
                        return;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // Not listening yet.
                }

                await Task.Delay(250, ct);
            }

            throw new TimeoutException("Sojourn.Web did not answer:\n" + Output);
        }

        public void Kill()
        {
            lock (_output)
            {
                if (Killed)
                {
                    return;
                }

                Killed = true;
            }

            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                if (_output.Length > 32_000)
                {
                    _output.Remove(0, 16_000);
                }

                _output.AppendLine(line);
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                }

                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
            {
                // Gone, or not going: the test reports what it saw either way.
            }

            _process.Dispose();
        }

        private static string RepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Sojourn.slnx")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException("Sojourn.slnx not found above " + AppContext.BaseDirectory);
        }
    }
}
