using Microsoft.Extensions.Options;
using Sojourn.Data;
using Sojourn.Data.Security;

namespace Sojourn.Web.Access;

/// <summary><c>Sojourn:Crypto:ReEncrypt</c>: background re-encryption after an SM4 key rotation (off by default).</summary>
internal sealed class ReEncryptOptions
{
    public bool Enabled { get; set; }
    public int BatchSize { get; set; } = 500;

    /// <summary>Batches per pass; a pass then yields to the app until the next interval.</summary>
    public int BatchesPerPass { get; set; } = 20;

    public int IntervalMinutes { get; set; } = 10;
}

/// <summary>
/// Rewrites identity-number ciphertexts still under a retired SM4 key under the active one
/// (<see cref="CipherRotation"/>), a few batches at a time, until none is left; <c>sojourn keys reencrypt</c>
/// does the same from the command line. Counts only are logged, never a value.
/// </summary>
internal sealed class CipherRotationService(
    IServiceScopeFactory scopes, IdentityProtector protector, IOptions<ReEncryptOptions> options,
    ILogger<CipherRotationService> logger) : BackgroundService
{
    /// <summary>One pass of at most <see cref="ReEncryptOptions.BatchesPerPass"/> batches.</summary>
    public async Task<CipherRotationResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var o = options.Value;
        var result = await CipherRotation.ReEncryptAsync(db, protector, Math.Max(1, o.BatchSize), Math.Max(1, o.BatchesPerPass), cancellationToken);
        if (result.Versions + result.Children + result.Permits + result.Other + result.Failed > 0)
        {
            logger.LogInformation(
                "Re-encrypted under SM4 key {KeyId}: {Versions} versions, {Children} children, {Permits} permit values, {Other} others, {Failed} not decryptable",
                protector.ActiveKeyId, result.Versions, result.Children, result.Permits, result.Other, result.Failed);
        }

        return result;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(Math.Max(1, options.Value.IntervalMinutes)));
        do
        {
            try
            {
                // Keep going while passes fill up; then wait for the next interval.
                while (!(await RunOnceAsync(stoppingToken)).Done && !stoppingToken.IsCancellationRequested)
                {
                }
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
            {
                logger.LogError(e, "Re-encryption pass failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
