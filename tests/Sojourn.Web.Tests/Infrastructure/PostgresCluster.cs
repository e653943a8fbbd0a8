using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Npgsql;

namespace Sojourn.Web.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL cluster per test run, from the machine's own binaries
/// (/usr/lib/postgresql/*/bin): initdb into a temp folder, start on a free loopback port with the
/// socket in that folder, stop and delete at process exit. As root, the server runs as user postgres.
/// </summary>
public sealed class PostgresCluster
{
    public const string EnableHint = "PostgreSQL binaries not found (/usr/lib/postgresql/*/bin/initdb): install them with `apt-get install postgresql` to run the PostgreSQL tests.";

    private const string Prefix = "sojourn-pg-";

    private static readonly Lazy<PostgresCluster> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _binDir;
    private readonly string _root;
    private readonly bool _asPostgresUser;

    private PostgresCluster(string binDir, string root, int port, bool asPostgresUser)
    {
        _binDir = binDir;
        _root = root;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public int Port { get; }

    /// <summary>The initdb found on this machine, or null.</summary>
    public static string? FindBinDir()
    {
        // SOJOURN_TEST_PG_ROOT points elsewhere (or nowhere, to check the skip path).
        var root = Environment.GetEnvironmentVariable("SOJOURN_TEST_PG_ROOT") is { Length: > 0 } custom ? custom : "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.GetDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            .OrderByDescending(d => d, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    public static PostgresCluster Instance => Shared.Value;

    /// <summary>A new empty database on the shared cluster; returns its connection string.</summary>
    public string CreateDatabase(string name)
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE \"{name}\"";
        command.ExecuteNonQuery();
        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=20";

    private static PostgresCluster Start()
    {
        var bin = FindBinDir() ?? throw new InvalidOperationException(EnableHint);
        var asPostgres = geteuid() == 0;
        SweepStale();
        var root = Path.Combine(Path.GetTempPath(), Prefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        if (asPostgres)
        {
            Run("chown", $"postgres:postgres {root}", false);
        }

        var port = FreePort();
        var cluster = new PostgresCluster(bin, root, port, asPostgres);
        var data = Path.Combine(root, "data");
        cluster.Pg("initdb", $"-D {data} -U postgres -A trust -E UTF8 --locale=C --no-sync");
        cluster.Pg("pg_ctl", $"-D {data} -l {Path.Combine(root, "server.log")} -w -t 60 "
            + $"-o \"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
        return cluster;
    }

    /// <summary>
    /// Removes clusters of earlier runs whose server is down (no postmaster.pid) and that are older than
    /// a few minutes: a test host killed after stopping the server leaves its folder behind.
    /// </summary>
    private static void SweepStale()
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            if (File.Exists(Path.Combine(dir, "data", "postmaster.pid"))
                || Directory.GetLastWriteTimeUtc(dir) > DateTime.UtcNow.AddMinutes(-10))
            {
                continue;
            }

            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private void Stop()
    {
        try
        {
            Pg("pg_ctl", $"-D {Path.Combine(_root, "data")} -m immediate -w stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped: nothing to do but clean up.
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private void Pg(string tool, string arguments)
    {
        var exe = Path.Combine(_binDir, tool);
        if (_asPostgresUser)
        {
            Run("runuser", $"-u postgres -- {exe} {arguments}", true);
        }
        else
        {
            Run(exe, arguments, true);
        }
    }

    private static void Run(string file, string arguments, bool check)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {stderr} {stdout.Result}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();
}
