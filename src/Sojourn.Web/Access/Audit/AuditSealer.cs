using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sojourn.Data;
using Sojourn.Data.Audit;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Access.Audit;

/// <summary>
/// <c>Sojourn:Audit</c> (docs/adr/0006-audit-log-sequencer.md): how often and how much the sequencer seals, when an
/// unsealed entry raises the alarm, how many audited reads share one commit, how often the head is signed, and where
/// the signing key and the checkpoint file live (outside the database; relative paths under the repository root).
/// </summary>
internal sealed class AuditOptions
{
    public int SealIntervalMilliseconds { get; set; } = 200;
    public int SealBatch { get; set; } = 1000;
    public int UnsealedAlarmSeconds { get; set; } = 60;
    public int ReadBatch { get; set; } = 256;
    public int CheckpointSeconds { get; set; } = 60;
    public string SigningKeyFile { get; set; } = "data/runtime/audit/signing.key";
    public string CheckpointFile { get; set; } = "data/runtime/audit/checkpoints.jsonl";
}

/// <summary>The sequencer's view of the log, for <c>GET /api/v1/audit/status</c>.</summary>
internal sealed record AuditStatus(
    long Sealed, long Unsealed, double? OldestUnsealedSeconds, bool Alarm, AuditSignedHead? LastSignedHead, string KeyId);

/// <summary>
/// The sequencer: one batch at a time, on whichever node wins the database election, gives unsealed entries their
/// sequence numbers and chain hashes, signs the head with the SM2 key every <see cref="AuditOptions.CheckpointSeconds"/>
/// (and on demand), stores the signed head and appends it to the checkpoint file. Warns when an entry stays unsealed
/// longer than <see cref="AuditOptions.UnsealedAlarmSeconds"/>.
/// </summary>
internal sealed class AuditSealer(
    IServiceScopeFactory scopes, TimeProvider time, IOptions<AuditOptions> options, AuditKeyring keyring, ILogger<AuditSealer> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _pass = new(1, 1);
    private long _lastSignedTicks = long.MinValue;
    private long _lastAlarmTicks = long.MinValue;

    /// <summary>Seals one batch (if elected); signs the head too when one is due or <paramref name="sign"/>. Returns how many were sealed.</summary>
    public async Task<int> SealOnceAsync(bool sign, CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            AuditSignedHead? signed;
            int count;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                if (!await AuditChain.ElectAsync(db, cancellationToken))
                {
                    return 0;
                }

                count = await AuditChain.SealLockedAsync(db, options.Value.SealBatch, cancellationToken);
                var due = _lastSignedTicks == long.MinValue
                          || Stopwatch.GetElapsedTime(_lastSignedTicks).TotalSeconds >= options.Value.CheckpointSeconds;
                signed = sign || (count > 0 && due)
                    ? await AuditHeads.SignAsync(db, keyring.Key, time.GetUtcNow().UtcDateTime, cancellationToken)
                    : null;
                await transaction.CommitAsync(cancellationToken);
            }

            if (signed is not null)
            {
                _lastSignedTicks = Stopwatch.GetTimestamp();
                await AuditCheckpoint.AppendAsync(keyring.CheckpointFile, signed, cancellationToken);
            }

            return count;
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>Seals everything committed so far and signs the head (tests, shutdown, on demand).</summary>
    public async Task<long> SealAllAsync(CancellationToken cancellationToken)
    {
        var total = 0L;
        int n;
        do
        {
            n = await SealOnceAsync(sign: false, cancellationToken);
            total += n;
        }
        while (n > 0);

        await SealOnceAsync(sign: true, cancellationToken);
        return total;
    }

    /// <summary>
    /// Appends the newest signed head to the checkpoint file when the file lacks it (a crash between the database
    /// commit and the file write, or a fresh file).
    /// </summary>
    public async Task SyncCheckpointFileAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var latest = await AuditHeads.LatestAsync(db, cancellationToken);
        if (latest is null)
        {
            return;
        }

        var inFile = AuditCheckpoint.ReadFile(keyring.CheckpointFile);
        if (inFile.Count == 0 || inFile.Max(h => h.Seq) < latest.Seq)
        {
            await AuditCheckpoint.AppendAsync(keyring.CheckpointFile, latest, cancellationToken);
        }
    }

    public async Task<AuditStatus> StatusAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var sealedCount = await db.AuditEntries.AsNoTracking().Where(a => a.Seq != null).CountAsync(cancellationToken);
        var unsealed = db.AuditEntries.AsNoTracking().Where(a => a.Seq == null);
        var unsealedCount = await unsealed.CountAsync(cancellationToken);
        var oldest = await unsealed.OrderBy(a => a.Id).Select(a => (DateTime?)a.At).FirstOrDefaultAsync(cancellationToken);
        double? age = oldest is { } at ? Math.Max(0, (time.GetUtcNow().UtcDateTime - at).TotalSeconds) : null;
        var head = await AuditHeads.LatestAsync(db, cancellationToken);
        return new AuditStatus(sealedCount, unsealedCount, age, age > options.Value.UnsealedAlarmSeconds, head, keyring.Key.KeyId);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.SealIntervalMilliseconds;
        if (interval <= 0)
        {
            return;
        }

        await Task.Yield();
        try
        {
            await SyncCheckpointFileAsync(stoppingToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogError(e, "Audit checkpoint file {File} not brought up to date", keyring.CheckpointFile);
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(interval));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                while (await SealOnceAsync(sign: false, stoppingToken) >= options.Value.SealBatch)
                {
                    // A full batch: more is waiting.
                }

                await AlarmAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Data.Common.DbException
                                      or InvalidOperationException or DbUpdateException)
            {
                logger.LogError(e, "Audit sequencer pass failed");
            }
        }
    }

    private async Task AlarmAsync(CancellationToken cancellationToken)
    {
        if (_lastAlarmTicks != long.MinValue && Stopwatch.GetElapsedTime(_lastAlarmTicks).TotalSeconds < 30)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var oldest = await db.AuditEntries.AsNoTracking().Where(a => a.Seq == null).OrderBy(a => a.Id)
            .Select(a => (DateTime?)a.At).FirstOrDefaultAsync(cancellationToken);
        if (oldest is { } at && (time.GetUtcNow().UtcDateTime - at).TotalSeconds > options.Value.UnsealedAlarmSeconds)
        {
            _lastAlarmTicks = Stopwatch.GetTimestamp();
            logger.LogWarning("Audit entry unsealed since {At:o}, longer than {Seconds} s: is a sequencer running?", at, options.Value.UnsealedAlarmSeconds);
        }
    }
}

/// <summary>The signing key and checkpoint file of this node, resolved once (the key file is created on first start).</summary>
internal sealed class AuditKeyring
{
    private readonly Lazy<AuditSigningKey> _key;

    public AuditKeyring(IOptions<AuditOptions> options, IWebHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var root = RepoPaths.FindRoot(environment.ContentRootPath);
        KeyFile = Path.GetFullPath(options.Value.SigningKeyFile, root);
        CheckpointFile = Path.GetFullPath(options.Value.CheckpointFile, root);
        _key = new Lazy<AuditSigningKey>(() => AuditSigningKey.LoadOrCreate(KeyFile));
    }

    public string KeyFile { get; }

    public string CheckpointFile { get; }

    public AuditSigningKey Key => _key.Value;
}

/// <summary>Registers the audit log's services (area: audit).</summary>
internal static class AuditServices
{
    public static IServiceCollection AddAuditLog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<AuditRecorder>();
        services.AddScoped<AuditQueries>();
        services.Configure<AuditOptions>(configuration.GetSection("Sojourn:Audit"));
        services.AddSingleton<AuditKeyring>();
        services.AddSingleton<AuditGroupWriter>();
        services.AddSingleton<AuditSealer>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditSealer>());
        return services;
    }
}
