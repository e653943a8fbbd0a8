using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Sojourn.Bench.Registration.Infrastructure;

/// <summary>What <c>sojourn audit verify</c> said about the log the run left behind.</summary>
/// <param name="Passed">Exit code 0 within the patience.</param>
/// <param name="ExitCode">Exit code of the last attempt.</param>
/// <param name="Output">What the last attempt printed (stdout, then stderr), trimmed.</param>
/// <param name="Attempts">Attempts made (entries may be sealed a short while after their commit).</param>
/// <param name="Seconds">From the first attempt to the verdict.</param>
/// <param name="Command">The command line, for the report.</param>
public sealed record AuditVerification(bool Passed, int ExitCode, string Output, int Attempts, double Seconds, string Command);

/// <summary>
/// Runs the product's own audit verification, the CLI's <c>sojourn audit verify</c> (src/Sojourn.Cli, built
/// beside this benchmark), against the benchmark's database with the same settings the app nodes got. It adds
/// <c>--checkpoint FILE</c> when the CLI offers that option and the nodes wrote the file. A failure is
/// retried every 2 s until the patience is spent, since an audit log that seals entries in the background may
/// lag its commits briefly.
/// </summary>
public static class AuditVerifier
{
    /// <summary>Path of the CLI (sojourn.dll) next to the source tree this benchmark was built from.</summary>
    public static string DefaultDllPath() =>
        Path.Combine(BuildInfo.RepoRoot, "src", "Sojourn.Cli", "bin", BuildInfo.Configuration, "net10.0", "sojourn.dll");

    public static async Task<AuditVerification> RunAsync(
        string dllPath, IReadOnlyDictionary<string, string> environment, string? checkpointFile, TimeSpan patience,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!File.Exists(dllPath))
        {
            return new AuditVerification(false, -1, $"sojourn.dll not found: {dllPath} (build src/Sojourn.Cli)", 0, 0, "sojourn audit verify");
        }

        List<string> arguments = ["audit", "verify"];
        var help = await RunCliAsync(dllPath, environment, ["audit", "verify", "--help"], cancellationToken);
        if (help.Output.Contains("--checkpoint", StringComparison.Ordinal)
            && checkpointFile is not null && File.Exists(checkpointFile) && new FileInfo(checkpointFile).Length > 0)
        {
            arguments.AddRange(["--checkpoint", checkpointFile]);
        }

        var command = "sojourn " + string.Join(' ', arguments);
        var clock = Stopwatch.StartNew();
        var attempts = 0;
        while (true)
        {
            attempts++;
            var (exitCode, output) = await RunCliAsync(dllPath, environment, arguments, cancellationToken);
            if (exitCode == 0 || clock.Elapsed >= patience)
            {
                return new AuditVerification(exitCode == 0, exitCode, output, attempts, clock.Elapsed.TotalSeconds, command);
            }

            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunCliAsync(
        string dllPath, IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dllPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(dllPath);
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment)
        {
            psi.Environment[key] = value;
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Cannot start dotnet.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out after 2 minutes");
        }

        var text = ((await stdout).Trim() + "\n" + (await stderr).Trim()).Trim();
        return (process.ExitCode, text.Length > 2000 ? text[..2000] : text);
    }

    /// <summary>The exit code in words, as the CLI documents it.</summary>
    public static string Describe(int exitCode) => exitCode switch
    {
        0 => "0 (intact)",
        1 => "1 (tampered or incomplete)",
        2 => "2 (usage error)",
        _ => exitCode.ToString(CultureInfo.InvariantCulture),
    };
}
