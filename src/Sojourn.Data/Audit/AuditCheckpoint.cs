using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace Sojourn.Data.Audit;

/// <summary>
/// The head of the audit chain written down outside the database (one JSON line; a supervisor keeps the
/// file). Deleting the newest entries leaves a chain that is intact in itself; only a copy of the head
/// kept elsewhere shows that it is shorter than it was. Optionally signed with HMAC-SM3 under
/// <c>Sojourn:Audit:CheckpointKey</c>, so whoever can edit the database cannot forge a shorter checkpoint.
/// </summary>
public sealed record AuditCheckpoint(
    [property: JsonPropertyName("seq")] long Seq,
    [property: JsonPropertyName("hash")] string Hash,
    [property: JsonPropertyName("at")] DateTime At,
    [property: JsonPropertyName("writtenAt")] DateTime WrittenAt,
    [property: JsonPropertyName("mac")] string? Mac)
{
    private const string MacPrefix = "hmac-sm3:";

    public static AuditCheckpoint Create(AuditHead head, DateTime writtenAt, byte[]? key)
    {
        ArgumentNullException.ThrowIfNull(head);
        var unsigned = new AuditCheckpoint(head.Seq, head.Hash, Utc(head.At), Utc(writtenAt), null);
        return key is null ? unsigned : unsigned with { Mac = MacPrefix + unsigned.ComputeMac(key) };
    }

    public string ToJsonLine() => JsonSerializer.Serialize(this);

    /// <summary>Reads a checkpoint file: one checkpoint per non-empty line.</summary>
    public static IReadOnlyList<AuditCheckpoint> ParseFile(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<AuditCheckpoint>();
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
                if (checkpoint is null || checkpoint.Seq < 0 || string.IsNullOrEmpty(checkpoint.Hash))
                {
                    throw new FormatException($"第 {lineNumber} 行不是审计检查点 / line {lineNumber} is not a checkpoint");
                }

                result.Add(checkpoint);
            }
            catch (JsonException e)
            {
                throw new FormatException($"第 {lineNumber} 行不是审计检查点 / line {lineNumber} is not a checkpoint", e);
            }
        }

        return result;
    }

    /// <summary>True when the line carries a MAC that <paramref name="key"/> produced.</summary>
    public bool MacValid(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (Mac is null || !Mac.StartsWith(MacPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(ComputeMac(key));
        var actual = Encoding.ASCII.GetBytes(Mac[MacPrefix.Length..]);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <summary>
    /// Verifies the chain in the database and then that it still reaches each checkpoint with the same
    /// hash. Names the first entry missing from the tail, or the checkpointed entry that differs.
    /// With <paramref name="key"/>, unsigned or wrongly signed checkpoints fail too.
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(
        SojournDbContext db, IReadOnlyList<AuditCheckpoint> checkpoints, byte[]? key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(checkpoints);
        var chain = await AuditChain.VerifyAsync(db, cancellationToken);
        if (!chain.Intact)
        {
            return chain;
        }

        foreach (var checkpoint in checkpoints)
        {
            if (key is not null && !checkpoint.MacValid(key))
            {
                return chain with
                {
                    Intact = false,
                    FirstBadSeq = null,
                    Problem = $"检查点（第 {checkpoint.Seq} 条）签名无效，检查点文件可能被改动 / checkpoint at entry {checkpoint.Seq}: signature invalid",
                };
            }
        }

        AuditVerification? worst = null;
        foreach (var checkpoint in checkpoints.Where(c => c.Seq > 0).OrderBy(c => c.Seq))
        {
            AuditVerification? failure = null;
            if (chain.Checked < checkpoint.Seq)
            {
                var missing = chain.Checked + 1;
                failure = chain with
                {
                    Intact = false,
                    FirstBadSeq = missing,
                    Problem = $"第 {missing} 条起缺失：检查点记录到第 {checkpoint.Seq} 条，库中只有 {chain.Checked} 条 / entries from {missing} missing: the checkpoint reached {checkpoint.Seq}",
                };
            }
            else
            {
                var hash = await AuditChain.HashAtAsync(db, checkpoint.Seq, cancellationToken);
                if (!string.Equals(hash, checkpoint.Hash, StringComparison.Ordinal))
                {
                    failure = chain with
                    {
                        Intact = false,
                        FirstBadSeq = checkpoint.Seq,
                        Problem = $"第 {checkpoint.Seq} 条与检查点不符（此条或更早的记录被替换）/ entry {checkpoint.Seq} differs from the checkpoint (it or an earlier entry was replaced)",
                    };
                }
            }

            if (failure is not null && (worst is null || failure.FirstBadSeq < worst.FirstBadSeq))
            {
                worst = failure;
            }
        }

        return worst ?? chain;
    }

    /// <summary>Hex key from configuration; null when not configured.</summary>
    public static byte[]? KeyFromHex(string? hex)
    {
        if (string.IsNullOrWhiteSpace(hex))
        {
            return null;
        }

        var key = Convert.FromHexString(hex.Trim());
        return key.Length >= 16 ? key : throw new ArgumentException("Audit checkpoint key must be at least 16 bytes (32 hex digits).", nameof(hex));
    }

    private string ComputeMac(byte[] key)
    {
        var data = Encoding.UTF8.GetBytes(string.Join('|',
            Seq.ToString(CultureInfo.InvariantCulture), Hash, Stamp(At), Stamp(WrittenAt)));
        var mac = new HMac(new SM3Digest());
        mac.Init(new KeyParameter(key));
        mac.BlockUpdate(data, 0, data.Length);
        var result = new byte[mac.GetMacSize()];
        mac.DoFinal(result, 0);
        return Convert.ToHexStringLower(result);
    }

    private static string Stamp(DateTime t) =>
        Utc(t).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);

    private static DateTime Utc(DateTime t) => t.Kind switch
    {
        DateTimeKind.Utc => t,
        DateTimeKind.Local => t.ToUniversalTime(),
        _ => DateTime.SpecifyKind(t, DateTimeKind.Utc),
    };
}
