using System.Diagnostics;
using System.Globalization;

namespace Sojourn.Bench.Registration.Measurement;

/// <summary>CPU seconds used per process group during a phase: less sensitive to noisy neighbours than rates.</summary>
public readonly record struct CpuSample(TimeSpan Bench, TimeSpan App, TimeSpan Database);

/// <summary>CPU time used by a phase, in milliseconds per operation, for the bench, the app and PostgreSQL.</summary>
public sealed record CpuPerOp(double BenchMs, double? AppMs, double? DatabaseMs);

/// <summary>
/// Reads CPU time of this process, the app process and the PostgreSQL server (postmaster, its live
/// backends and the children it has reaped) from /proc.
/// </summary>
public sealed class CpuMeter(Func<Process?> app, Func<int?> postmasterPid)
{
    // USER_HZ: 100 on every Linux build .NET runs on.
    private const double TicksPerSecond = 100;

    public CpuSample Sample()
    {
        var self = Process.GetCurrentProcess();
        self.Refresh();
        var appProcess = app();
        var appCpu = TimeSpan.Zero;
        if (appProcess is { HasExited: false })
        {
            appProcess.Refresh();
            appCpu = appProcess.TotalProcessorTime;
        }

        return new CpuSample(self.TotalProcessorTime, appCpu, postmasterPid() is { } pid ? ServerCpu(pid) : TimeSpan.Zero);
    }

    public static CpuPerOp PerOp(CpuSample before, CpuSample after, long operations, bool appRunning)
    {
        double Ms(TimeSpan t) => operations > 0 ? t.TotalMilliseconds / operations : 0;
        var database = after.Database - before.Database;
        return new CpuPerOp(
            Ms(after.Bench - before.Bench),
            appRunning ? Ms(after.App - before.App) : null,
            database > TimeSpan.Zero ? Ms(database) : null);
    }

    private static TimeSpan ServerCpu(int postmaster)
    {
        if (!OperatingSystem.IsLinux())
        {
            return TimeSpan.Zero;
        }

        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            var stat = ReadStat(pid);
            if (stat is null)
            {
                continue;
            }

            // Fields after the command name: state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17).
            var f = stat;
            if (pid == postmaster)
            {
                ticks += f[11] + f[12] + f[13] + f[14];
            }
            else if (f[1] == postmaster)
            {
                ticks += f[11] + f[12];
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static long[]? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name is in parentheses and may hold spaces: parse after the last ')'.
        var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        if (rest.Length < 15)
        {
            return null;
        }

        var fields = new long[15];
        for (var i = 1; i < 15; i++)
        {
            _ = long.TryParse(rest[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out fields[i]);
        }

        return fields;
    }
}
