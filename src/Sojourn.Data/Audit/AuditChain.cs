using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Org.BouncyCastle.Crypto.Digests;

namespace Sojourn.Data.Audit;

/// <summary>
/// The SM3 hash chain of the audit log: canonical form, append (unsealed, no lock), seal (one sequencer at a time,
/// elected through the database), verify (docs/adr/0006-audit-log-sequencer.md).
/// </summary>
public static class AuditChain
{
    public static readonly string Genesis = new('0', 64);

    /// <summary>The PostgreSQL advisory lock that elects the sequencer for one batch.</summary>
    public const long SequencerLock = 5347001;

    /// <summary>Canonical entry: a JSON array of the fields in fixed order (unambiguous, stable).</summary>
    public static string Canonical(AuditEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        string?[] parts =
        [
            (e.Seq ?? 0).ToString(CultureInfo.InvariantCulture),
            e.At.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
            e.AccountId, e.ActorRole, e.Office, e.Action, e.Operation,
            e.RegistrationId?.ToString("D"), e.PersonIdHmac, e.ResidenceDivisionCode, e.Fields, e.Purpose, e.Ip,
        ];
        return JsonSerializer.Serialize(parts);
    }

    public static string ComputeHash(string prevHash, AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(prevHash);
        var data = Encoding.UTF8.GetBytes(prevHash + Canonical(entry));
        var digest = new SM3Digest();
        digest.BlockUpdate(data, 0, data.Length);
        var result = new byte[digest.GetDigestSize()];
        digest.DoFinal(result, 0);
        return Convert.ToHexStringLower(result);
    }

    /// <summary>
    /// Inserts entries unsealed (no sequence number, no hash): no lock, no read of the head, so appends never
    /// serialise. Inside a caller's transaction they commit or roll back with it; without one, the insert is its
    /// own transaction. The sequencer gives them their place in the chain later.
    /// </summary>
    public static async Task AppendAsync(SojournDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        foreach (var entry in entries)
        {
            entry.Id = 0;
            entry.Seq = null;
            entry.PrevHash = null;
            entry.Hash = null;
            db.AuditEntries.Add(entry);
        }

        // Inside the operation's transaction a failed append fails the operation (it rolls back whole), so EF Core's
        // automatic savepoint would only add two round trips (SAVEPOINT, RELEASE) to every audited write.
        var auto = db.Database.AutoSavepointsEnabled;
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = auto;
            foreach (var entry in entries)
            {
                db.Entry(entry).State = EntityState.Detached;
            }
        }
    }

    /// <summary>
    /// One batch of the sequencer: if this caller wins the election (PostgreSQL: <c>pg_try_advisory_xact_lock</c>;
    /// SQLite: its single writer, taken by the transaction), gives up to <paramref name="batch"/> unsealed entries,
    /// in insertion order, the next sequence numbers and their chain hashes, and commits. Returns how many were
    /// sealed, or null when another node holds the sequencer.
    /// </summary>
    public static async Task<int?> SealAsync(SojournDbContext db, int batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await ElectAsync(db, cancellationToken))
        {
            return null;
        }

        var sealedCount = await SealLockedAsync(db, batch, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return sealedCount;
    }

    /// <summary>Takes the sequencer's election inside the open transaction; false when another node holds it.</summary>
    public static async Task<bool> ElectAsync(SojournDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!db.Database.IsNpgsql())
        {
            return true;
        }

        return await db.Database.SqlQueryRaw<bool>($"SELECT pg_try_advisory_xact_lock({SequencerLock}) AS \"Value\"")
            .SingleAsync(cancellationToken);
    }

    /// <summary>Seals one batch: the caller holds the election inside an open transaction.</summary>
    public static async Task<int> SealLockedAsync(SojournDbContext db, int batch, CancellationToken cancellationToken)
    {
        var rows = await db.AuditEntries.Where(a => a.Seq == null).OrderBy(a => a.Id)
            .Take(Math.Max(1, batch)).ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return 0;
        }

        var head = await HeadAsync(db, cancellationToken);
        var seq = head?.Seq ?? 0;
        var prev = head?.Hash ?? Genesis;
        foreach (var row in rows)
        {
            row.Seq = ++seq;
            row.PrevHash = prev;
            row.Hash = ComputeHash(prev, row);
            prev = row.Hash;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            foreach (var row in rows)
            {
                db.Entry(row).State = EntityState.Detached;
            }
        }

        // The Merkle tree's stored nodes follow the seal in the same transaction (AuditMerkleTree).
        await AuditMerkleTree.ExtendAsync(db, seq, cancellationToken);
        return rows.Count;
    }

    /// <summary>Seals until nothing is left (tests, the CLI, shutdown); returns how many were sealed.</summary>
    public static async Task<long> SealAllAsync(SojournDbContext db, int batch, CancellationToken cancellationToken)
    {
        var total = 0L;
        while (true)
        {
            var n = await SealAsync(db, batch, cancellationToken);
            if (n is null)
            {
                await Task.Delay(20, cancellationToken);
                continue;
            }

            if (n == 0)
            {
                return total;
            }

            total += n.Value;
        }
    }

    /// <summary>The head of the sealed chain: the newest sealed entry's sequence number, hash and time (null when empty).</summary>
    public static async Task<AuditHead?> HeadAsync(SojournDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.AuditEntries.AsNoTracking().Where(a => a.Seq != null).OrderByDescending(a => a.Seq)
            .Select(a => new AuditHead(a.Seq!.Value, a.Hash!, a.At)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The stored hash of entry <paramref name="seq"/> (null when there is none).</summary>
    public static Task<string?> HashAtAsync(SojournDbContext db, long seq, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.AuditEntries.AsNoTracking().Where(a => a.Seq == seq).Select(a => a.Hash).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Walks the sealed chain in order and reports the first entry that was altered, removed (a gap in the
    /// sequence or a broken link) or moved. Unsealed entries are not part of the chain yet. Reads in batches,
    /// so large logs verify in constant memory.
    /// </summary>
    public static Task<AuditVerification> VerifyAsync(SojournDbContext db, CancellationToken cancellationToken) =>
        VerifyAsync(db, null, 0, cancellationToken);

    /// <summary>
    /// As above, and gives <paramref name="root"/> the chain hashes of entries 1..<paramref name="rootSize"/> as the walk
    /// reads them, so the Merkle root of a signed head is recomputed from every entry (trusting no stored node) in the
    /// same pass over the log.
    /// </summary>
    internal static async Task<AuditVerification> VerifyAsync(
        SojournDbContext db, AuditMerkle.RootBuilder? root, long rootSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        const int batch = 1000;
        var expectedSeq = 1L;
        var prev = Genesis;
        var checkedCount = 0L;
        while (true)
        {
            var rows = await db.AuditEntries.AsNoTracking().Where(a => a.Seq != null && a.Seq >= expectedSeq)
                .OrderBy(a => a.Seq).Take(batch).ToListAsync(cancellationToken);
            if (rows.Count == 0)
            {
                return AuditVerification.Ok(checkedCount);
            }

            foreach (var row in rows)
            {
                if (row.Seq != expectedSeq)
                {
                    return AuditVerification.Fail(AuditFault.EntryMissing, checkedCount, expectedSeq, row.Seq!.Value,
                        $"第 {expectedSeq} 条缺失（序号跳到 {row.Seq}）/ entry {expectedSeq} missing");
                }

                if (row.PrevHash != prev)
                {
                    return AuditVerification.Fail(AuditFault.LinkBroken, checkedCount, expectedSeq, null,
                        $"第 {row.Seq} 条与前一条的链接断开（删除或调换）/ entry {row.Seq}: link to previous entry broken");
                }

                if (ComputeHash(prev, row) != row.Hash)
                {
                    return AuditVerification.Fail(AuditFault.EntryAltered, checkedCount, expectedSeq, null,
                        $"第 {row.Seq} 条内容被改动 / entry {row.Seq}: content altered");
                }

                if (row.Seq <= rootSize)
                {
                    root?.Add(row.Hash);
                }

                prev = row.Hash;
                expectedSeq++;
                checkedCount++;
            }
        }
    }
}

/// <summary>What verification found wrong; the values are the error catalogue's codes (Sojourn.Application ErrorCode).</summary>
public enum AuditFault
{
    /// <summary>An entry's content no longer matches its hash.</summary>
    EntryAltered = 60001,

    /// <summary>A gap in the sequence: an entry was deleted.</summary>
    EntryMissing = 60002,

    /// <summary>An entry does not link to its predecessor: entries deleted or reordered.</summary>
    LinkBroken = 60003,

    /// <summary>The chain no longer reaches a signed head's hash: an entry was changed and the chain recomputed.</summary>
    HeadMismatch = 60004,

    /// <summary>A signed head covers entries the log no longer has (the tail, or every row, deleted).</summary>
    Truncated = 60005,

    /// <summary>The checkpoint file is empty or missing while the log has sealed entries.</summary>
    CheckpointMissing = 60006,

    /// <summary>A checkpoint or signed head is not signed by the audit key (forged or foreign).</summary>
    CheckpointForeign = 60007,

    /// <summary>The Merkle root over the sealed entries differs from the signed one.</summary>
    MerkleMismatch = 60008,
}

/// <summary>
/// Result of verification: the first bad entry, if any. <see cref="Fault"/> names the catalogue error;
/// <see cref="FirstBadSeq"/> and <see cref="Detail"/> are its message's arguments.
/// </summary>
public sealed record AuditVerification(bool Intact, long Checked, long? FirstBadSeq, string? Problem)
{
    public AuditFault? Fault { get; init; }

    /// <summary>A second number for the message (the sequence a gap jumps to, the checkpointed length).</summary>
    public long? Detail { get; init; }

    public static AuditVerification Ok(long checkedCount) => new(true, checkedCount, null, null);

    public static AuditVerification Fail(AuditFault fault, long checkedCount, long? firstBad, long? detail, string problem) =>
        new(false, checkedCount, firstBad, problem) { Fault = fault, Detail = detail };
}

/// <summary>The newest sealed entry of the chain.</summary>
public sealed record AuditHead(long Seq, string Hash, DateTime At);
