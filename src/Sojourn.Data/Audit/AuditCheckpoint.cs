using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Sojourn.Credentials;

namespace Sojourn.Data.Audit;

/// <summary>
/// The audit signing key (SM2): a private key in a file outside the database (mode 600), created on first use.
/// Whoever can write the database cannot sign a head, so a recomputed chain or a deleted log cannot be made to
/// match the signed heads and the checkpoint file.
/// </summary>
public sealed class AuditSigningKey
{
    private readonly byte[] _private;

    private AuditSigningKey(byte[] privateKey)
    {
        _private = privateKey;
        PublicKey = Sm2Signatures.PublicKeyOf(privateKey);
        KeyId = Sm2Signatures.KeyId(PublicKey);
    }

    public byte[] PublicKey { get; }

    public string KeyId { get; }

    /// <summary>Reads the key file (hex private key), or creates it (and its folder) with owner-only permissions.</summary>
    public static AuditSigningKey LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (File.Exists(path))
        {
            return new AuditSigningKey(Convert.FromHexString(File.ReadAllText(path).Trim()));
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var key = Sm2Signatures.NewPrivateKey();
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var writer = new StreamWriter(path, Encoding.ASCII, options);
            writer.Write(Convert.ToHexStringLower(key));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs.
            return new AuditSigningKey(Convert.FromHexString(File.ReadAllText(path).Trim()));
        }

        return new AuditSigningKey(key);
    }

    /// <summary>Reads only the public key of a key file (verification needs no more).</summary>
    public static byte[] PublicKeyOfFile(string path) => LoadOrCreateExisting(path).PublicKey;

    private static AuditSigningKey LoadOrCreateExisting(string path) =>
        File.Exists(path) ? LoadOrCreate(path) : throw new FileNotFoundException("Audit signing key file not found.", path);

    public AuditSignedHead Sign(long seq, string hash, string merkleRoot, DateTime signedAt)
    {
        var head = new AuditSignedHead
        {
            Seq = seq,
            Hash = hash,
            MerkleRoot = merkleRoot,
            SignedAt = AuditSignatures.Utc(signedAt),
            KeyId = KeyId,
            Signature = "",
        };
        head.Signature = Convert.ToHexStringLower(Sm2Signatures.Sign(_private, AuditSignatures.Message(head)));
        return head;
    }
}

/// <summary>What a head's signature covers, and its check against trusted public keys.</summary>
public static class AuditSignatures
{
    public static byte[] Message(AuditSignedHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        return Encoding.UTF8.GetBytes(string.Join('\n',
            "sojourn-audit-head/1", head.Seq.ToString(CultureInfo.InvariantCulture), head.Hash, head.MerkleRoot,
            Utc(head.SignedAt).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture)));
    }

    public static bool Valid(AuditSignedHead head, IReadOnlyList<byte[]> trustedKeys)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(trustedKeys);
        byte[] signature;
        try
        {
            signature = Convert.FromHexString(head.Signature);
        }
        catch (FormatException)
        {
            return false;
        }

        var message = Message(head);
        return trustedKeys.Any(k => Sm2Signatures.Verify(k, message, signature));
    }

    internal static DateTime Utc(DateTime t) => t.Kind switch
    {
        DateTimeKind.Utc => t,
        DateTimeKind.Local => t.ToUniversalTime(),
        _ => DateTime.SpecifyKind(t, DateTimeKind.Utc),
    };
}

/// <summary>
/// A signed head written down outside the database: one JSON line per head in the checkpoint file
/// (<c>Sojourn:Audit:CheckpointFile</c>, by default data/runtime/audit/checkpoints.jsonl).
/// </summary>
public sealed record AuditCheckpoint(
    [property: JsonPropertyName("seq")] long Seq,
    [property: JsonPropertyName("hash")] string Hash,
    [property: JsonPropertyName("root")] string MerkleRoot,
    [property: JsonPropertyName("signedAt")] DateTime SignedAt,
    [property: JsonPropertyName("keyId")] string KeyId,
    [property: JsonPropertyName("sig")] string Signature)
{
    public static AuditCheckpoint Of(AuditSignedHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        return new(head.Seq, head.Hash, head.MerkleRoot, AuditSignatures.Utc(head.SignedAt), head.KeyId, head.Signature);
    }

    public AuditSignedHead ToHead() => new()
    {
        Seq = Seq,
        Hash = Hash,
        MerkleRoot = MerkleRoot,
        SignedAt = AuditSignatures.Utc(SignedAt),
        KeyId = KeyId,
        Signature = Signature,
    };

    public string ToJsonLine() => JsonSerializer.Serialize(this);

    /// <summary>Appends one line to the checkpoint file (creating its folder), flushed to disk.</summary>
    public static async Task AppendAsync(string file, AuditSignedHead head, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var bytes = Encoding.UTF8.GetBytes(Of(head).ToJsonLine() + "\n");
        await using var stream = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        await stream.WriteAsync(bytes, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Reads the checkpoint file (missing = empty): one checkpoint per non-empty line.</summary>
    public static IReadOnlyList<AuditSignedHead> ReadFile(string file)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        if (!File.Exists(file))
        {
            return [];
        }

        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return ParseFile(reader.ReadToEnd());
    }

    /// <summary>Parses checkpoint lines; a line that is not a checkpoint is a <see cref="FormatException"/>.</summary>
    public static IReadOnlyList<AuditSignedHead> ParseFile(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<AuditSignedHead>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                var checkpoint = JsonSerializer.Deserialize<AuditCheckpoint>(line);
                if (checkpoint is null || checkpoint.Seq < 0 || string.IsNullOrEmpty(checkpoint.Hash) || checkpoint.Signature is null)
                {
                    throw new FormatException($"第 {lineNumber} 行不是审计检查点 / line {lineNumber} is not a checkpoint");
                }

                result.Add(checkpoint.ToHead());
            }
            catch (JsonException e)
            {
                throw new FormatException($"第 {lineNumber} 行不是审计检查点 / line {lineNumber} is not a checkpoint", e);
            }
        }

        return result;
    }
}

/// <summary>
/// Verification of the whole log: the chain itself, then every signed head (in the database and in the checkpoint
/// file) against the trusted keys and against the chain, then the newest head's Merkle root.
/// </summary>
public static class AuditVerifier
{
    public static async Task<AuditVerification> VerifyAsync(
        SojournDbContext db, IReadOnlyList<AuditSignedHead> checkpoints, IReadOnlyList<byte[]> trustedKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentNullException.ThrowIfNull(trustedKeys);
        // The newest head is known before the walk, so the walk also feeds the Merkle root it is checked against
        // (any head beyond the chain fails as truncated below, before the root is compared).
        var stored = await db.AuditSignedHeads.AsNoTracking().ToListAsync(cancellationToken);
        var rootSize = checkpoints.Concat(stored).Select(h => h.Seq).DefaultIfEmpty(0).Max();
        var root = new AuditMerkle.RootBuilder();
        var chain = await AuditChain.VerifyAsync(db, root, rootSize, cancellationToken);
        if (!chain.Intact)
        {
            return chain;
        }

        foreach (var head in checkpoints.Concat(stored))
        {
            if (!AuditSignatures.Valid(head, trustedKeys))
            {
                return AuditVerification.Fail(AuditFault.CheckpointForeign, chain.Checked, null, head.Seq,
                    $"第 {head.Seq} 条处的检查点签名无效或出自其他密钥 / checkpoint at entry {head.Seq}: signature invalid or foreign");
            }
        }

        if (chain.Checked > 0 && checkpoints.Count == 0)
        {
            return AuditVerification.Fail(AuditFault.CheckpointMissing, chain.Checked, null, chain.Checked,
                $"库中有 {chain.Checked} 条已封存的记录，检查点文件却为空 / the log has {chain.Checked} sealed entries but the checkpoint file is empty");
        }

        AuditSignedHead? newest = null;
        foreach (var head in checkpoints.Concat(stored).Where(h => h.Seq > 0).OrderBy(h => h.Seq))
        {
            if (head.Seq > chain.Checked)
            {
                var missing = chain.Checked + 1;
                return AuditVerification.Fail(AuditFault.Truncated, chain.Checked, missing, head.Seq,
                    $"第 {missing} 条起缺失：已签名的链头记录到第 {head.Seq} 条，库中只有 {chain.Checked} 条 / entries from {missing} missing: a signed head reached {head.Seq}");
            }

            var hash = await AuditChain.HashAtAsync(db, head.Seq, cancellationToken);
            if (!string.Equals(hash, head.Hash, StringComparison.Ordinal))
            {
                return AuditVerification.Fail(AuditFault.HeadMismatch, chain.Checked, head.Seq, null,
                    $"第 {head.Seq} 条与已签名的链头不符（此条或更早的记录被改动后重算了哈希）/ entry {head.Seq} differs from the signed head (it or an earlier entry was changed and the chain recomputed)");
            }

            newest = head;
        }

        if (newest is not null)
        {
            if (!string.Equals(root.Root(), newest.MerkleRoot, StringComparison.OrdinalIgnoreCase))
            {
                return AuditVerification.Fail(AuditFault.MerkleMismatch, chain.Checked, newest.Seq, null,
                    $"前 {newest.Seq} 条的默克尔树根与已签名的不符 / Merkle root over the first {newest.Seq} entries differs from the signed one");
            }
        }

        return chain;
    }
}

/// <summary>Signing the chain head (the sequencer's periodic step).</summary>
public static class AuditHeads
{
    /// <summary>
    /// Signs the sealed head when it moved past the last signed head, inside the caller's elected transaction, and
    /// stores it; returns it (to append to the checkpoint file after commit), else null. Refuses to sign a chain that
    /// no longer reaches the last signed head: that would bless a rewritten log.
    /// </summary>
    public static async Task<AuditSignedHead?> SignAsync(SojournDbContext db, AuditSigningKey key, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(key);
        var head = await AuditChain.HeadAsync(db, cancellationToken);
        if (head is null)
        {
            return null;
        }

        var last = await LatestAsync(db, cancellationToken);
        if (last is not null)
        {
            if (last.Seq >= head.Seq)
            {
                if (last.Seq > head.Seq)
                {
                    throw new InvalidOperationException($"Audit log shorter ({head.Seq}) than its last signed head ({last.Seq}); not signing.");
                }

                return null;
            }

            var hash = await AuditChain.HashAtAsync(db, last.Seq, cancellationToken);
            if (!string.Equals(hash, last.Hash, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Audit chain no longer reaches the signed head at {last.Seq}; not signing.");
            }
        }

        var root = await AuditMerkleTree.RootAsync(db, head.Seq, cancellationToken)
                   ?? throw new InvalidOperationException($"Audit chain has a gap below {head.Seq}; not signing.");
        var signed = key.Sign(head.Seq, head.Hash, root, now);
        db.AuditSignedHeads.Add(signed);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(signed).State = EntityState.Detached;
        return signed;
    }

    public static Task<AuditSignedHead?> LatestAsync(SojournDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.AuditSignedHeads.AsNoTracking().OrderByDescending(h => h.Seq).FirstOrDefaultAsync(cancellationToken);
    }
}
