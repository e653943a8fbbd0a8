using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Data.Audit;
using Sojourn.Web.Access;
using Sojourn.Web.Access.Audit;

namespace Sojourn.Web.Tests.Infrastructure;

/// <summary>What the audit tests do behind the app's back: raw SQL on its database, sealing, and verifying the log.</summary>
public static class AuditTableAccess
{
    public static async Task ExecAsync(this SojournAppFactory factory, params string[] statements)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(statements);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        foreach (var sql in statements)
        {
            await db.Database.ExecuteSqlRawAsync(sql);
        }
    }

    /// <summary>Removes the append-only triggers of entries and signed heads, as someone with direct database access could.</summary>
    public static Task DropAuditTriggersAsync(this SojournAppFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.Kind == DatabaseKind.Sqlite
            ? factory.ExecAsync(
                "DROP TRIGGER \"TR_AuditEntries_NoUpdate\"", "DROP TRIGGER \"TR_AuditEntries_NoDelete\"",
                "DROP TRIGGER \"TR_AuditSignedHeads_NoUpdate\"", "DROP TRIGGER \"TR_AuditSignedHeads_NoDelete\"")
            : factory.ExecAsync(
                "DROP TRIGGER \"TR_AuditEntries_NoUpdateDelete\" ON \"AuditEntries\"", "DROP TRIGGER \"TR_AuditEntries_NoTruncate\" ON \"AuditEntries\"",
                "DROP TRIGGER \"TR_AuditSignedHeads_NoUpdateDelete\" ON \"AuditSignedHeads\"", "DROP TRIGGER \"TR_AuditSignedHeads_NoTruncate\" ON \"AuditSignedHeads\"");
    }

    /// <summary>Seals every committed entry and signs the head (the sequencer's work, without waiting for its timer).</summary>
    public static async Task<long> SealAuditAsync(this SojournAppFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return await factory.Services.GetRequiredService<AuditSealer>().SealAllAsync(CancellationToken.None);
    }

    /// <summary>Seals, then verifies the whole log: chain, signed heads, checkpoint file, Merkle root.</summary>
    public static async Task<AuditVerification> VerifyAuditAsync(this SojournAppFactory factory)
    {
        await factory.SealAuditAsync();
        return await factory.VerifyAuditOnlyAsync();
    }

    /// <summary>Verifies the whole log as it stands (after tampering: sealing would refuse to sign it).</summary>
    public static async Task<AuditVerification> VerifyAuditOnlyAsync(this SojournAppFactory factory, IReadOnlyList<AuditSignedHead>? checkpoints = null, byte[]? key = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        using var scope = factory.Services.CreateScope();
        var keyring = factory.Services.GetRequiredService<AuditKeyring>();
        return await AuditVerifier.VerifyAsync(
            scope.ServiceProvider.GetRequiredService<SojournDbContext>(),
            checkpoints ?? AuditCheckpoint.ReadFile(keyring.CheckpointFile), [key ?? keyring.Key.PublicKey], CancellationToken.None);
    }
}
