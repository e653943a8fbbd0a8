using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Sojourn.Data;
using Sojourn.Data.Audit;

namespace Sojourn.Web.Access.Audit;

/// <summary>
/// Group commit for audited reads (no operation transaction to join): entries waiting while one commit runs are
/// inserted together in the next (up to <see cref="AuditOptions.ReadBatch"/>), and each caller returns only when its
/// entries are committed, so a read is disclosed only after its entry is durable.
/// </summary>
internal sealed class AuditGroupWriter(IServiceScopeFactory scopes, IOptions<AuditOptions> options, ILogger<AuditGroupWriter> logger)
{
    private readonly ConcurrentQueue<Pending> _queue = new();
    private int _running;

    public Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return Task.CompletedTask;
        }

        var pending = new Pending(entries, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Enqueue(pending);
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            // The writer must not carry the request's context (HttpContext, actor) into other requests' entries.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(DrainAsync, CancellationToken.None);
            }
        }

        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            var batch = new List<Pending>();
            var count = 0;
            while (count < Math.Max(1, options.Value.ReadBatch) && _queue.TryDequeue(out var next))
            {
                batch.Add(next);
                count += next.Entries.Count;
            }

            if (batch.Count == 0)
            {
                Volatile.Write(ref _running, 0);
                // An entry enqueued between the last dequeue and the reset would wait forever: take the writer back.
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _running, 1, 0) != 0)
                {
                    return;
                }

                continue;
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
                await AuditChain.AppendAsync(db, [.. batch.SelectMany(p => p.Entries)], CancellationToken.None);
                foreach (var p in batch)
                {
                    p.Done.TrySetResult();
                }
            }
            catch (Exception e)
            {
                logger.LogError(e, "Audit entries of {Count} reads not written", batch.Count);
                foreach (var p in batch)
                {
                    p.Done.TrySetException(e);
                }
            }
        }
    }

    private sealed record Pending(IReadOnlyList<AuditEntry> Entries, TaskCompletionSource Done);
}
