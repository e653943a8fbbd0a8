using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Sojourn.Bench.Registration.Infrastructure;

/// <summary>
/// The real Sojourn.Web, built in the same configuration as this benchmark, run as its own process
/// (Kestrel on a loopback port) against the throwaway database. Its output is kept in memory and shown
/// only when it fails to start.
/// </summary>
public sealed class WebAppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WebAppProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Path of Sojourn.Web.dll next to the source tree this benchmark was built from.</summary>
    public static string DefaultDllPath() =>
        Path.Combine(BuildInfo.RepoRoot, "src", "Sojourn.Web", "bin", BuildInfo.Configuration, "net10.0", "Sojourn.Web.dll");

    /// <param name="settings">Further configuration as environment variables (e.g. the audit key and checkpoint
    /// files every node of one deployment shares).</param>
    public static async Task<WebAppProcess> StartAsync(
        string dllPath, string connectionString, string sm4Key, string hmacKey, IReadOnlyDictionary<string, string> settings,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!File.Exists(dllPath))
        {
            throw new FileNotFoundException("Sojourn.Web.dll 未找到，请先构建 / build Sojourn.Web first.", dllPath);
        }

        var url = LoopbackUrl();
        var psi = Dotnet(dllPath);
        var env = psi.Environment;
        env["ASPNETCORE_ENVIRONMENT"] = "Production";
        env["DOTNET_ENVIRONMENT"] = "Production";
        // appsettings.json names a Kestrel endpoint (which would win over --urls): replace its address.
        env["Kestrel__Endpoints__Http__Url"] = url;
        env["Sojourn__Database__Provider"] = "postgres";
        env["ConnectionStrings__Sojourn"] = connectionString;
        env["Sojourn__Crypto__Sm4Key"] = sm4Key;
        env["Sojourn__Crypto__HmacKey"] = hmacKey;
        // Demo accounts give the bench an administrator to create its own collector account (README 演示账号);
        // the dozen demo registrations they bring are outside the measured rows.
        env["Sojourn__Seed__Demo"] = "true";
        env["Logging__LogLevel__Default"] = "Warning";
        env["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        env["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning";
        foreach (var (key, value) in settings)
        {
            env[key] = value;
        }

        // The GC mode is the app's own (Sojourn.Web.csproj: workstation); DOTNET_* runtime settings of the caller
        // pass through with the rest of the environment (DOTNET_gcServer=1 measures server GC).
        return await LaunchAsync(psi, url, "api/v1/registrations?page=1", "Sojourn.Web", cancellationToken);
    }

    /// <summary>An address on a free loopback port.</summary>
    internal static string LoopbackUrl() => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{PostgresCluster.FreePort()}");

    /// <summary><c>dotnet <paramref name="dll"/> <paramref name="args"/></c> in the dll's folder, output captured.</summary>
    internal static ProcessStartInfo Dotnet(string dll, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        return psi;
    }

    /// <summary>Starts a prepared process and waits until <paramref name="probe"/> answers below 500.</summary>
    internal static async Task<WebAppProcess> LaunchAsync(ProcessStartInfo psi, string url, string probe, string name, CancellationToken cancellationToken)
    {
        var process = Process.Start(psi) ?? throw new InvalidOperationException("Cannot start dotnet.");
        var app = new WebAppProcess(process, new Uri(url + "/"));
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with {process.ExitCode}:\n{app.Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(probe, UriKind.Relative), cancellationToken);
                if ((int)response.StatusCode < 500)
                {
                    app.StartupOutputLength = app.Output.Length;
                    return app;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Slow first request (JIT, migrations).
            }

            await Task.Delay(250, cancellationToken);
        }

        await app.DisposeAsync();
        throw new TimeoutException($"{name} did not answer within 90 s:\n" + app.Output);
    }

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

    public bool HasExited => _process.HasExited;

    /// <summary>Length of <see cref="Output"/> once the app answered (start-up noise such as EF probing
    /// for its migrations table on an empty database comes before).</summary>
    public int StartupOutputLength { get; private set; }

    /// <summary>What the app logged after start-up.</summary>
    public string OutputSinceStartup
    {
        get
        {
            var all = Output;
            return all.Length >= StartupOutputLength ? all[StartupOutputLength..] : all;
        }
    }

    /// <summary>The app's process, for CPU accounting.</summary>
    public Process Process => _process;

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            // Keep the tail only: a long run must not grow memory without bound.
            if (_output.Length > 64_000)
            {
                _output.Remove(0, 32_000);
            }

            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
