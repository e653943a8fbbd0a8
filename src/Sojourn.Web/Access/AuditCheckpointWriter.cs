using Sojourn.Data;
using Sojourn.Data.Audit;

namespace Sojourn.Web.Access;

/// <summary>
/// <c>Sojourn:Audit</c>: where the web app writes the audit chain's head outside the database (off unless
/// <see cref="CheckpointFile"/> is set), how often, and the HMAC-SM3 key that signs each line (hex).
/// </summary>
public sealed class AuditOptions
{
    public string? CheckpointFile { get; set; }
    public int CheckpointMinutes { get; set; } = 60;
    public string? CheckpointKey { get; set; }
}

/// <summary>
/// Appends the audit chain's head to <see cref="AuditOptions.CheckpointFile"/> at start and then every
/// <see cref="AuditOptions.CheckpointMinutes"/> when it moved, so that deleting the newest entries is
/// detectable by <c>sojourn audit verify --checkpoint FILE</c>. The file belongs outside the database's
/// reach (another volume or host, append-only if the platform allows).
/// </summary>
public sealed class AuditCheckpointWriter(
    IServiceScopeFactory scopes, TimeProvider time, Microsoft.Extensions.Options.IOptions<AuditOptions> options,
    ILogger<AuditCheckpointWriter> logger) : BackgroundService
{
    private long _lastSeq = -1;

    /// <summary>Writes one checkpoint line if the head moved since the last one; returns the head's sequence number.</summary>
    public async Task<long> WriteOnceAsync(CancellationToken cancellationToken)
    {
        var file = options.Value.CheckpointFile;
        if (string.IsNullOrWhiteSpace(file))
        {
            return -1;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var head = await AuditChain.HeadAsync(db, cancellationToken);
        if (head is null || head.Seq == _lastSeq)
        {
            return head?.Seq ?? 0;
        }

        var key = AuditCheckpoint.KeyFromHex(options.Value.CheckpointKey);
        var line = AuditCheckpoint.Create(head, time.GetUtcNow().UtcDateTime, key).ToJsonLine();
        await File.AppendAllTextAsync(file, line + "\n", cancellationToken);
        _lastSeq = head.Seq;
        return head.Seq;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromMinutes(Math.Max(1, options.Value.CheckpointMinutes));
        using var timer = new PeriodicTimer(period);
        do
        {
            try
            {
                await WriteOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Data.Common.DbException or InvalidOperationException)
            {
                logger.LogError(e, "Audit checkpoint not written to {File}", options.Value.CheckpointFile);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
