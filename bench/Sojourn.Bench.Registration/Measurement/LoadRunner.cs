using System.Diagnostics;

namespace Sojourn.Bench.Registration.Measurement;

/// <summary>Throughput and latency of one measured phase.</summary>
/// <param name="Name">What was measured.</param>
/// <param name="Operations">Operations that succeeded.</param>
/// <param name="Errors">Operations that failed (not counted in the latencies).</param>
/// <param name="Seconds">Wall-clock time of the phase.</param>
/// <param name="LatenciesMs">Sorted latencies of the successful operations, in milliseconds (empty for
/// a single bulk operation).</param>
/// <param name="Rows">Rows written or read, when an operation is not one registration (COPY).</param>
public sealed record PhaseResult(string Name, int Operations, int Errors, double Seconds, double[] LatenciesMs, long? Rows = null)
{
    /// <summary>CPU used per operation (per registration for COPY), when measured.</summary>
    public CpuPerOp? Cpu { get; init; }

    /// <summary>Which kind of phase this is (what the report pairs with what).</summary>
    public PhaseKind Kind { get; init; }

    /// <summary>Concurrent clients (1 for COPY).</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>App processes the clients were spread over (0 for a ceiling).</summary>
    public int Apps { get; init; }

    /// <summary>Registrations (or reads) per second.</summary>
    public double PerSecond => Seconds > 0 ? (Rows ?? Operations) / Seconds : 0;

    public double? Percentile(double p)
    {
        if (LatenciesMs.Length == 0)
        {
            return null;
        }

        // Nearest-rank percentile.
        var rank = (int)Math.Ceiling(p / 100 * LatenciesMs.Length);
        return LatenciesMs[Math.Clamp(rank - 1, 0, LatenciesMs.Length - 1)];
    }
}

/// <summary>The measured phases: the app's two requests and the ceilings they are compared with.</summary>
public enum PhaseKind
{
    Other,
    Post,
    Get,
    Insert,
    Select,
    Copy,
    FloorPost,
    FloorGet,
}

/// <summary>
/// Closed-loop load: <c>concurrency</c> workers each take the next operation index and run it, until
/// <c>count</c> operations were started or <c>maxDuration</c> has passed.
/// </summary>
public static class LoadRunner
{
    public static Task<PhaseResult> RunAsync(
        string name, int count, int concurrency, TimeSpan maxDuration,
        Func<int, CancellationToken, Task<bool>> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return RunAsync(name, count, concurrency, maxDuration, (_, i, t) => operation(i, t), cancellationToken);
    }

    /// <summary>As above; the operation also gets its worker's number (0 … concurrency-1), e.g. to pin a
    /// worker to one app process.</summary>
    public static async Task<PhaseResult> RunAsync(
        string name, int count, int concurrency, TimeSpan maxDuration,
        Func<int, int, CancellationToken, Task<bool>> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var latencies = new double[count];
        var ok = new bool[count];
        var next = -1;
        var errors = 0;
        var clock = Stopwatch.StartNew();

        async Task Worker(int worker)
        {
            while (!cancellationToken.IsCancellationRequested && clock.Elapsed < maxDuration)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= count)
                {
                    return;
                }

                var start = Stopwatch.GetTimestamp();
                bool success;
                try
                {
                    success = await operation(worker, i, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    success = false;
                    if (Interlocked.Increment(ref errors) <= 3)
                    {
                        await Console.Error.WriteLineAsync($"  [{name}] {e.GetType().Name}: {e.Message}");
                    }

                    continue;
                }

                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                ok[i] = success;
                if (!success)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(() => Worker(w), cancellationToken)));
        var elapsed = clock.Elapsed.TotalSeconds;
        var started = Math.Min(next + 1, count);
        var done = Enumerable.Range(0, started).Where(i => ok[i]).Select(i => latencies[i]).Order().ToArray();
        return new PhaseResult(name, done.Length, errors, elapsed, done) { Concurrency = concurrency };
    }
}
