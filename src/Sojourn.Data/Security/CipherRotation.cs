using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;

namespace Sojourn.Data.Security;

/// <summary>
/// After an SM4 key rotation, rewrites the identity-number ciphertexts still under a retired key (or in the
/// legacy form without a key id) under the active key, in batches, so the retired key can later be removed
/// from the ring. Covers RegistrationVersions.Record_IdNumberCipher and AccompanyingChildren.IdNumberCipher.
/// </summary>
/// <remarks>
/// RegistrationVersions are append-only history. Re-encrypting a ciphertext in place is the one update
/// allowed on them: the plaintext, the lookup hash and every other column stay as they were, so the
/// history is unchanged; only the key that protects it at rest changes. Each row is rewritten only if its
/// ciphertext is still the one read (compare-and-set), one transaction per batch.
/// </remarks>
public static class CipherRotation
{
    /// <summary>Rewrites up to <paramref name="maxBatches"/> batches (null = until done) and reports the counts.</summary>
    public static async Task<CipherRotationResult> ReEncryptAsync(
        SojournDbContext db, IdentityProtector protector, int batchSize, int? maxBatches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var current = $"v1:{protector.ActiveKeyId}:%";
        var result = new CipherRotationResult();
        var batches = 0;

        // Versions: keyset pagination on Id, so rows that cannot be decrypted are skipped, not retried forever.
        Guid? lastVersion = null;
        while (maxBatches is null || batches < maxBatches)
        {
            var rows = await (lastVersion is { } after
                    ? db.Database.SqlQuery<VersionCipher>($"SELECT \"Id\", \"Record_IdNumberCipher\" AS \"Cipher\" FROM \"RegistrationVersions\" WHERE \"Record_IdNumberCipher\" NOT LIKE {current} AND \"Id\" > {after} ORDER BY \"Id\" LIMIT {batchSize}")
                    : db.Database.SqlQuery<VersionCipher>($"SELECT \"Id\", \"Record_IdNumberCipher\" AS \"Cipher\" FROM \"RegistrationVersions\" WHERE \"Record_IdNumberCipher\" NOT LIKE {current} ORDER BY \"Id\" LIMIT {batchSize}"))
                .ToListAsync(cancellationToken);
            if (rows.Count == 0)
            {
                break;
            }

            batches++;
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                foreach (var row in rows)
                {
                    if (Reprotect(protector, row.Cipher, result) is { } fresh)
                    {
                        result.Versions += await db.Database.ExecuteSqlAsync(
                            $"UPDATE \"RegistrationVersions\" SET \"Record_IdNumberCipher\" = {fresh} WHERE \"Id\" = {row.Id} AND \"Record_IdNumberCipher\" = {row.Cipher}",
                            cancellationToken);
                    }
                }

                await transaction.CommitAsync(cancellationToken);
            }

            lastVersion = rows[^1].Id;
        }

        var lastChild = 0;
        while (maxBatches is null || batches < maxBatches)
        {
            var rows = await db.Database.SqlQuery<ChildCipher>(
                    $"SELECT \"Id\", \"IdNumberCipher\" AS \"Cipher\" FROM \"AccompanyingChildren\" WHERE \"IdNumberCipher\" IS NOT NULL AND \"IdNumberCipher\" NOT LIKE {current} AND \"Id\" > {lastChild} ORDER BY \"Id\" LIMIT {batchSize}")
                .ToListAsync(cancellationToken);
            if (rows.Count == 0)
            {
                break;
            }

            batches++;
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                foreach (var row in rows)
                {
                    if (Reprotect(protector, row.Cipher, result) is { } fresh)
                    {
                        result.Children += await db.Database.ExecuteSqlAsync(
                            $"UPDATE \"AccompanyingChildren\" SET \"IdNumberCipher\" = {fresh} WHERE \"Id\" = {row.Id} AND \"IdNumberCipher\" = {row.Cipher}",
                            cancellationToken);
                    }
                }

                await transaction.CommitAsync(cancellationToken);
            }

            lastChild = rows[^1].Id;
        }

        result.Batches = batches;
        result.Done = maxBatches is null || batches < maxBatches;
        return result;
    }

    /// <summary>How many ciphertexts are not yet under the active key.</summary>
    public static async Task<int> CountRemainingAsync(SojournDbContext db, IdentityProtector protector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(protector);
        var current = $"v1:{protector.ActiveKeyId}:%";
        var versions = await db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM \"RegistrationVersions\" WHERE \"Record_IdNumberCipher\" NOT LIKE {current}").SingleAsync(cancellationToken);
        var children = await db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM \"AccompanyingChildren\" WHERE \"IdNumberCipher\" IS NOT NULL AND \"IdNumberCipher\" NOT LIKE {current}").SingleAsync(cancellationToken);
        return versions + children;
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

    private sealed class VersionCipher
    {
        public Guid Id { get; set; }
        public string Cipher { get; set; } = "";
    }

    private sealed class ChildCipher
    {
        public int Id { get; set; }
        public string Cipher { get; set; } = "";
    }
}

/// <summary>Counts of one re-encryption run.</summary>
public sealed class CipherRotationResult
{
    public int Versions { get; set; }
    public int Children { get; set; }
    public int Failed { get; set; }
    public int Batches { get; set; }

    /// <summary>False when the run stopped at its batch limit with rows possibly left.</summary>
    public bool Done { get; set; }
}
