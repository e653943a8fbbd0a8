using System.Diagnostics;
using System.Globalization;

namespace Sojourn.Bench.Registration.Measurement;

/// <summary>
/// CPU seconds used per process group during a phase: less sensitive to noisy neighbours than rates.
/// <see cref="Apps"/> holds each app process by id, so that a process started or stopped between two
/// samples is counted for the part it ran in between, never as a negative.
/// </summary>
public sealed record CpuSample(TimeSpan Bench, IReadOnlyDictionary<int, TimeSpan> Apps, TimeSpan Database)
{
    /// <summary>CPU time of all app processes together.</summary>
    public TimeSpan App => Apps.Values.Aggregate(TimeSpan.Zero, (a, b) => a + b);

    /// <summary>CPU time the app processes used since <paramref name="before"/>, summed over every process.</summary>
    public TimeSpan AppSince(CpuSample before)
    {
        ArgumentNullException.ThrowIfNull(before);
        var total = TimeSpan.Zero;
        foreach (var (pid, cpu) in Apps)
        {
            total += cpu - before.Apps.GetValueOrDefault(pid);
        }

        return total;
    }
}

/// <summary>CPU time used by a phase, in milliseconds per operation, for the bench, the app and PostgreSQL.</summary>
public sealed record CpuPerOp(double BenchMs, double? AppMs, double? DatabaseMs);

/// <summary>
/// Reads CPU time of this process, every running app process (summed: with two app nodes the figure per
/// operation is that of the whole deployment) and the PostgreSQL server (postmaster, its live backends and
/// the children it has reaped) from /proc.
/// </summary>
public sealed class CpuMeter(Func<IReadOnlyList<Process>> apps, Func<int?> postmasterPid)
{
    // USER_HZ: 100 on every Linux build .NET runs on.
    private const double TicksPerSecond = 100;

    public CpuSample Sample()
    {
        var self = Process.GetCurrentProcess();
        self.Refresh();
        var appCpu = new Dictionary<int, TimeSpan>();
        foreach (var process in apps())
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Refresh();
                    appCpu[process.Id] = process.TotalProcessorTime;
                }
            }
            catch (InvalidOperationException)
            {
                // Exited between the check and the read.
            }
        }

        return new CpuSample(self.TotalProcessorTime, appCpu, postmasterPid() is { } pid ? ServerCpu(pid) : TimeSpan.Zero);
    }

    public static CpuPerOp PerOp(CpuSample before, CpuSample after, long operations, bool appRunning)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        double Ms(TimeSpan t) => operations > 0 ? t.TotalMilliseconds / operations : 0;
        var database = after.Database - before.Database;
        return new CpuPerOp(
            Ms(after.Bench - before.Bench),
            appRunning ? Ms(after.AppSince(before)) : null,
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
