using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Org.BouncyCastle.Crypto.Digests;

namespace Sojourn.Data.Audit;

/// <summary>The SM3 hash chain of the audit log: canonical form, append, verify.</summary>
public static class AuditChain
{
    public static readonly string Genesis = new('0', 64);

    /// <summary>Canonical entry: a JSON array of the fields in fixed order (unambiguous, stable).</summary>
    public static string Canonical(AuditEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        string?[] parts =
        [
            e.Seq.ToString(CultureInfo.InvariantCulture),
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
    /// Appends entries at the end of the chain. Appends are serialised (a process gate, plus an advisory
    /// transaction lock on PostgreSQL); the primary key on <see cref="AuditEntry.Seq"/> makes a fork impossible.
    /// Without a current transaction the entries get one of their own; inside a caller's transaction they
    /// join it (PostgreSQL's advisory lock, SQLite's single writer, keep the head serialised until it ends).
    /// To record an operation atomically with its writes, use <see cref="AuditTransaction"/>.
    /// </summary>
    public static async Task AppendAsync(SojournDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        if (db.Database.CurrentTransaction is not null)
        {
            await Gate.WaitAsync(cancellationToken);
            try
            {
                await AppendLockedAsync(db, entries, cancellationToken);
            }
            finally
            {
                Gate.Release();
            }

            return;
        }

        await using var audit = await AuditTransaction.BeginAsync(db, cancellationToken);
        await audit.AppendAsync(entries, cancellationToken);
        await audit.CommitAsync(cancellationToken);
    }

    /// <summary>The append itself: caller holds <see cref="Gate"/> and a transaction is open on <paramref name="db"/>.</summary>
    internal static async Task AppendLockedAsync(SojournDbContext db, IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(5347001)", cancellationToken);
        }

        var last = await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Seq)
            .Select(a => new { a.Seq, a.Hash }).FirstOrDefaultAsync(cancellationToken);
        var seq = last?.Seq ?? 0;
        var prev = last?.Hash ?? Genesis;
        foreach (var entry in entries)
        {
            entry.Seq = ++seq;
            entry.PrevHash = prev;
            entry.Hash = ComputeHash(prev, entry);
            prev = entry.Hash;
            db.AuditEntries.Add(entry);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            foreach (var entry in entries)
            {
                db.Entry(entry).State = EntityState.Detached;
            }
        }
    }

    /// <summary>The head of the chain: the newest entry's sequence number, hash and time (null when empty).</summary>
    public static async Task<AuditHead?> HeadAsync(SojournDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Seq)
            .Select(a => new AuditHead(a.Seq, a.Hash, a.At)).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The stored hash of entry <paramref name="seq"/> (null when there is none).</summary>
    public static Task<string?> HashAtAsync(SojournDbContext db, long seq, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.AuditEntries.AsNoTracking().Where(a => a.Seq == seq).Select(a => a.Hash).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Walks the chain in order and reports the first entry that was altered, removed (a gap in the
    /// sequence or a broken link) or moved. Reads in batches, so large logs verify in constant memory.
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(SojournDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        const int batch = 1000;
        var expectedSeq = 1L;
        var prev = Genesis;
        var checkedCount = 0L;
        while (true)
        {
            var rows = await db.AuditEntries.AsNoTracking().Where(a => a.Seq >= expectedSeq)
                .OrderBy(a => a.Seq).Take(batch).ToListAsync(cancellationToken);
            if (rows.Count == 0)
            {
                return new AuditVerification(true, checkedCount, null, null);
            }

            foreach (var row in rows)
            {
                if (row.Seq != expectedSeq)
                {
                    return new AuditVerification(false, checkedCount, expectedSeq, $"第 {expectedSeq} 条缺失（序号跳到 {row.Seq}）/ entry {expectedSeq} missing");
                }

                if (row.PrevHash != prev)
                {
                    return new AuditVerification(false, checkedCount, row.Seq, $"第 {row.Seq} 条与前一条的链接断开（删除或调换）/ entry {row.Seq}: link to previous entry broken");
                }

                if (ComputeHash(prev, row) != row.Hash)
                {
                    return new AuditVerification(false, checkedCount, row.Seq, $"第 {row.Seq} 条内容被改动 / entry {row.Seq}: content altered");
                }

                prev = row.Hash;
                expectedSeq++;
                checkedCount++;
            }
        }
    }

    /// <summary>Serialises appends within this process (held until the appending transaction ends).</summary>
    internal static readonly SemaphoreSlim Gate = new(1, 1);
}

/// <summary>Result of <see cref="AuditChain.VerifyAsync"/>: the first bad entry, if any.</summary>
public sealed record AuditVerification(bool Intact, long Checked, long? FirstBadSeq, string? Problem);

/// <summary>The newest entry of the chain.</summary>
public sealed record AuditHead(long Seq, string Hash, DateTime At);
