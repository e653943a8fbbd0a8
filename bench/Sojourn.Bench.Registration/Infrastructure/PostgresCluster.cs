using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Sojourn.Bench.Registration.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster: initdb into a temporary folder, listening on 127.0.0.1 only at a free
/// port, trust authentication, removed on dispose. Run as root, the server runs as <c>postgres</c>
/// (PostgreSQL refuses to run as root). Durability settings stay at their defaults (fsync, synchronous
/// commit) so the figures mean what they would in production.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dataDir;
    private readonly string? _runAs;
    private bool _started;

    private PostgresCluster(string bin, string root, string? runAs, int port)
    {
        _bin = bin;
        Root = root;
        _dataDir = Path.Combine(root, "data");
        _runAs = runAs;
        Port = port;
    }

    public string Root { get; }
    public int Port { get; }

    public string Version { get; private set; } = "";

    /// <summary>Process id of the server (first line of postmaster.pid), for CPU accounting.</summary>
    public int? PostmasterPid
    {
        get
        {
            try
            {
                var first = File.ReadLines(Path.Combine(_dataDir, "postmaster.pid")).FirstOrDefault();
                return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    /// <summary>Plain connection string (Npgsql defaults) for a database of this cluster.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
    }.ConnectionString;

    /// <summary>Finds the newest installed PostgreSQL, or null.</summary>
    public static string? FindBinaries()
    {
        var env = Environment.GetEnvironmentVariable("SOJOURN_PG_BIN");
        if (!string.IsNullOrEmpty(env) && File.Exists(Path.Combine(env, "initdb")))
        {
            return env;
        }

        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.GetDirectories(root)
            .Select(d => (Dir: d, Ok: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v), Version: v))
            .Where(x => x.Ok && File.Exists(Path.Combine(x.Dir, "bin", "initdb")))
            .OrderByDescending(x => x.Version)
            .Select(x => Path.Combine(x.Dir, "bin"))
            .FirstOrDefault();
    }

    public static Task<PostgresCluster> StartAsync(int maxConnections, CancellationToken cancellationToken) =>
        StartAsync(maxConnections, statements: false, cancellationToken);

    /// <summary>As above; <paramref name="statements"/> loads pg_stat_statements (see <c>--statements</c>).</summary>
    public static async Task<PostgresCluster> StartAsync(int maxConnections, bool statements, CancellationToken cancellationToken)
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "未找到 PostgreSQL（/usr/lib/postgresql/*/bin/initdb）。请先安装：apt-get install -y postgresql");
        var root = Directory.CreateTempSubdirectory("sojourn-bench-pg-").FullName;
        var runAs = Environment.UserName == "root" ? "postgres" : null;
        var cluster = new PostgresCluster(bin, root, runAs, FreePort());
        try
        {
            if (runAs is not null)
            {
                await RunAsync("chown", ["-R", runAs, root], null, cancellationToken);
            }

            await cluster.RunPgAsync("initdb", ["-D", cluster._dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], cancellationToken);
            var settings = string.Join('\n',
                "listen_addresses = '127.0.0.1'",
                string.Create(CultureInfo.InvariantCulture, $"port = {cluster.Port}"),
                $"unix_socket_directories = '{cluster.Root}'",
                string.Create(CultureInfo.InvariantCulture, $"max_connections = {maxConnections}"),
                "shared_buffers = 256MB",
                "logging_collector = off",
                "log_min_messages = warning",
                statements ? "shared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track = all" : "");
            await File.AppendAllTextAsync(Path.Combine(cluster._dataDir, "postgresql.conf"), "\n" + settings + "\n", cancellationToken);
            await cluster.RunPgAsync("pg_ctl", ["-D", cluster._dataDir, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "start"], cancellationToken);
            cluster._started = true;

            await using var conn = new NpgsqlConnection(cluster.ConnectionString("postgres"));
            await conn.OpenAsync(cancellationToken);
            cluster.Version = conn.PostgreSqlVersion.ToString();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database.</summary>
    public async Task CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await using var conn = new NpgsqlConnection(ConnectionString("postgres"));
        await conn.OpenAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            NpgsqlConnection.ClearAllPools();
            try
            {
                await RunPgAsync("pg_ctl", ["-D", _dataDir, "-w", "-t", "30", "-m", "fast", "stop"], CancellationToken.None);
            }
            catch (InvalidOperationException e)
            {
                await Console.Error.WriteLineAsync("停止 PostgreSQL 失败 / could not stop PostgreSQL: " + e.Message);
            }

            _started = false;
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Left behind in /tmp; harmless.
        }
    }

    private Task RunPgAsync(string tool, string[] args, CancellationToken cancellationToken) =>
        _runAs is null
            ? RunAsync(Path.Combine(_bin, tool), args, null, cancellationToken)
            : RunAsync("runuser", ["-u", _runAs, "--", Path.Combine(_bin, tool), .. args], Root, cancellationToken);

    private static async Task RunAsync(string file, string[] args, string? workingDirectory, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Cannot start " + file);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}{await stdout}");
        }
    }

    /// <summary>A port the OS says is free now (tiny race window before the server binds it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
