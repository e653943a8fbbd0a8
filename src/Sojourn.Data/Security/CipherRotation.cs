using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;

namespace Sojourn.Data.Security;

/// <summary>
/// After an SM4 key rotation, rewrites the ciphertexts still under a retired key (or in the legacy form
/// without a key id) under the active key, in batches, so the retired key can later be removed from the
/// ring. Covers every SM4 column: identity numbers of registration versions, accompanying children and
/// permits; phone numbers of permits and the SMS outbox; the issuing authorities' key rings.
/// </summary>
/// <remarks>
/// RegistrationVersions are append-only history. Re-encrypting a ciphertext in place is the one update
/// allowed on them: the plaintext, the lookup hash and every other column stay as they were, so the
/// history is unchanged; only the key that protects it at rest changes. Each row is rewritten only if its
/// ciphertext is still the one read (compare-and-set), one transaction per batch.
/// </remarks>
public static class CipherRotation
{
    /// <summary>A column of SM4 ciphertexts, the key it is paged by, and the count it adds to.</summary>
    private sealed record CipherColumn(string Table, string Key, string Cipher, Action<CipherRotationResult, int> Count);

    // Every SM4-protected column: identity numbers (registrations, children, permits), phone numbers
    // (permits, the SMS outbox) and the issuing authorities' private key rings.
    private static readonly CipherColumn[] GuidKeyed =
    [
        new("RegistrationVersions", "Id", "Record_IdNumberCipher", (r, n) => r.Versions += n),
        new("Permits", "Id", "PersonIdCipher", (r, n) => r.Permits += n),
        new("Permits", "Id", "PhoneCipher", (r, n) => r.Permits += n),
        new("SmsOutbox", "Id", "PhoneCipher", (r, n) => r.Other += n),
    ];

    private static readonly CipherColumn Children = new("AccompanyingChildren", "Id", "IdNumberCipher", (r, n) => r.Children += n);
    private static readonly CipherColumn KeyRings = new("IssuerKeys", "AuthorityCode", "RingCipher", (r, n) => r.Other += n);

    /// <summary>Rewrites up to <paramref name="maxBatches"/> batches (null = until done) and reports the counts.</summary>
    public static async Task<CipherRotationResult> ReEncryptAsync(
        SojournDbContext db, IdentityProtector protector, int batchSize, int? maxBatches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var run = new Run(db, protector, batchSize, maxBatches);
        foreach (var column in GuidKeyed)
        {
            await run.ColumnAsync<Guid>(column, cancellationToken);
        }

        await run.ColumnAsync<int>(Children, cancellationToken);
        await run.ColumnAsync<string>(KeyRings, cancellationToken);
        run.Result.Batches = run.Batches;
        run.Result.Done = maxBatches is null || run.Batches < maxBatches;
        return run.Result;
    }

    /// <summary>How many ciphertexts are not yet under the active key.</summary>
    public static async Task<int> CountRemainingAsync(SojournDbContext db, IdentityProtector protector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(protector);
        var current = CurrentPattern(protector);
        var total = 0;
        foreach (var c in GuidKeyed.Append(Children).Append(KeyRings))
        {
            // Identifiers come from the fixed column list above, never from input; the value is a parameter.
            var sql = $"SELECT COUNT(*) AS \"Value\" FROM \"{c.Table}\" WHERE \"{c.Cipher}\" IS NOT NULL AND \"{c.Cipher}\" NOT LIKE {{0}}";
            total += await db.Database.SqlQueryRaw<int>(sql, current).SingleAsync(cancellationToken);
        }

        return total;
    }

    private static string CurrentPattern(IdentityProtector protector) => $"v1:{protector.ActiveKeyId}:%";

    private sealed class Run(SojournDbContext db, IdentityProtector protector, int batchSize, int? maxBatches)
    {
        public CipherRotationResult Result { get; } = new();

        public int Batches { get; private set; }

        /// <summary>Keyset pagination on the key (identifiers from the fixed column list, values as parameters), so rows that cannot be decrypted are skipped, not retried forever.</summary>
        public async Task ColumnAsync<TKey>(CipherColumn c, CancellationToken cancellationToken)
        {
            var current = CurrentPattern(protector);
            var select = $"SELECT \"{c.Key}\" AS \"Id\", \"{c.Cipher}\" AS \"Cipher\" FROM \"{c.Table}\" "
                + $"WHERE \"{c.Cipher}\" IS NOT NULL AND \"{c.Cipher}\" NOT LIKE {{0}}";
            var update = $"UPDATE \"{c.Table}\" SET \"{c.Cipher}\" = {{0}} WHERE \"{c.Key}\" = {{1}} AND \"{c.Cipher}\" = {{2}}";
            object? last = null;
            while (maxBatches is null || Batches < maxBatches)
            {
                var sql = last is null
                    ? $"{select} ORDER BY \"{c.Key}\" LIMIT {batchSize}"
                    : $"{select} AND \"{c.Key}\" > {{1}} ORDER BY \"{c.Key}\" LIMIT {batchSize}";
                object[] parameters = last is null ? [current] : [current, last];
                var rows = await db.Database.SqlQueryRaw<KeyedCipher<TKey>>(sql, parameters).ToListAsync(cancellationToken);
                if (rows.Count == 0)
                {
                    return;
                }

                Batches++;
                await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
                {
                    var rewritten = 0;
                    foreach (var row in rows)
                    {
                        if (Reprotect(protector, row.Cipher, Result) is { } fresh)
                        {
                            var n = await db.Database.ExecuteSqlRawAsync(update, [fresh, row.Id!, row.Cipher], cancellationToken);
                            c.Count(Result, n);
                            rewritten += n;
                        }
                    }

                    if (rewritten > 0)
                    {
                        // Key rotation is audited like an account action, with the batch it rewrote (counts, never values).
                        await Audit.AuditChain.AppendAsync(db, [new Audit.AuditEntry
                        {
                            At = DateTime.UtcNow,
                            AccountId = "system",
                            ActorRole = "system",
                            Office = "",
                            Action = "account",
                            Operation = "ReEncryptUnderActiveKey",
                            Fields = $"key:{protector.ActiveKeyId};{c.Table}.{c.Cipher}:{rewritten}",
                            PrevHash = "",
                            Hash = "",
                        }], cancellationToken);
                    }

                    await transaction.CommitAsync(cancellationToken);
                }

                last = rows[^1].Id;
            }
        }
    }

    private static string? Reprotect(IdentityProtector protector, string cipher, CipherRotationResult result)
    {
        try
        {
            var fresh = protector.Reprotect(cipher);
            return ReferenceEquals(fresh, cipher) ? null : fresh;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or Org.BouncyCastle.Crypto.InvalidCipherTextException)
        {
            // A key no longer in the ring, or a damaged value: leave it, count it, never log it.
            result.Failed++;
            return null;
        }
    }

    private sealed class KeyedCipher<TKey>
    {
        public TKey Id { get; set; } = default!;
        public string Cipher { get; set; } = "";
    }
}

/// <summary>Counts of one re-encryption run.</summary>
public sealed class CipherRotationResult
{
    public int Versions { get; set; }
    public int Children { get; set; }

    /// <summary>Permits' identity and phone numbers.</summary>
    public int Permits { get; set; }

    /// <summary>SMS outbox numbers and issuing authorities' key rings.</summary>
    public int Other { get; set; }
    public int Failed { get; set; }
    public int Batches { get; set; }

    /// <summary>False when the run stopped at its batch limit with rows possibly left.</summary>
    public bool Done { get; set; }
}
