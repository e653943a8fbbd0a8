using System.Buffers.Text;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sojourn.Credentials;

/// <summary>Status of one credential in a status list: two bits per entry.</summary>
public enum CredentialStatus
{
    /// <summary>00 有效.</summary>
    Valid = 0,

    /// <summary>01 暂停（如证件挂失、核查中），可恢复.</summary>
    Suspended = 1,

    /// <summary>10 已撤销（注销、收缴、换领补领后的旧证），不可恢复.</summary>
    Revoked = 2,
}

/// <summary>
/// An issuing authority's status list in the manner of the W3C Bitstring Status List: one entry per
/// issued credential (its <see cref="PermitCredential.StatusIndex"/>), GZIP-compressed and base64url
/// encoded, signed with the authority's SM2 key, with <see cref="IssuedAt"/>/<see cref="ValidUntil"/>
/// for freshness. Each entry has two bits (W3C <c>statusSize</c> 2): one list carries both
/// revocation and suspension, so a checker syncs one file per authority. The value 11 is reserved
/// and read as revoked. Entry i occupies bits 2i and 2i+1 counted from the most significant bit of
/// the first byte (W3C's left-to-right order). Compact form: <c>SJS1.&lt;base64url(JSON)&gt;.&lt;base64url(SM2 r‖s)&gt;</c>.
/// </summary>
public sealed class StatusList
{
    public const string Prefix = "SJS1.";

    /// <summary>W3C recommends at least 131,072 entries so that one index reveals little (herd privacy).</summary>
    public const int DefaultCapacity = 131_072;

    /// <summary>
    /// How long checkers may rely on a list unless configuration says otherwise (the web host's
    /// <c>Sojourn:EPermit:StatusListValidHours</c>, the CLI's <c>--status-valid-hours</c>). Operational, not law.
    /// </summary>
    public const int DefaultValidHours = 24;

    private const int BitsPerEntry = 2;
    private readonly byte[] _bits;

    public StatusList(IssuingAuthority authority, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        if (capacity % 4 != 0)
        {
            throw new ArgumentException("容量应为4的倍数（每字节4个条目）。", nameof(capacity));
        }

        Authority = authority;
        _bits = new byte[capacity * BitsPerEntry / 8];
    }

    private StatusList(IssuingAuthority authority, byte[] bits, DateTimeOffset issuedAt, DateTimeOffset validUntil, string keyId)
    {
        Authority = authority;
        _bits = bits;
        IssuedAt = issuedAt;
        ValidUntil = validUntil;
        KeyId = keyId;
    }

    /// <summary>A list over stored entries (<see cref="ToBits"/>), e.g. from the issuer's database.</summary>
    public static StatusList FromBits(IssuingAuthority authority, byte[] bits)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(bits);
        if (bits.Length == 0)
        {
            throw new ArgumentException("状态列表位串为空。", nameof(bits));
        }

        return new StatusList(authority, [.. bits], default, default, "");
    }

    /// <summary>A copy of the entries, 2 bits each (what the issuer stores).</summary>
    public byte[] ToBits() => [.. _bits];

    public IssuingAuthority Authority { get; }

    public int Capacity => _bits.Length * 8 / BitsPerEntry;

    /// <summary>Set when signed or parsed.</summary>
    public DateTimeOffset IssuedAt { get; private set; }

    /// <summary>After this instant a checker should sync a newer list.</summary>
    public DateTimeOffset ValidUntil { get; private set; }

    public string KeyId { get; private set; } = "";

    public CredentialStatus Get(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Capacity);
        var shift = 6 - (index % 4 * BitsPerEntry);
        var value = (_bits[index / 4] >> shift) & 0b11;
        return value == 0b11 ? CredentialStatus.Revoked : (CredentialStatus)value;
    }

    public void Set(int index, CredentialStatus status)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Capacity);
        if (!Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status));
        }

        var shift = 6 - (index % 4 * BitsPerEntry);
        _bits[index / 4] = (byte)((_bits[index / 4] & ~(0b11 << shift)) | ((int)status << shift));
    }

    /// <summary>
    /// Signs the list with the ring's current key. <paramref name="validUntil"/> (how long checkers
    /// may rely on it) is configuration, supplied by the caller.
    /// </summary>
    public string Sign(IssuerKeyRing ring, DateTimeOffset issuedAt, DateTimeOffset validUntil)
    {
        ArgumentNullException.ThrowIfNull(ring);
        if (ring.Authority.Code != Authority.Code)
        {
            throw new InvalidOperationException($"状态列表的发证机关 {Authority.Code} 与密钥环 {ring.Authority.Code} 不一致。");
        }

        var key = ring.Current ?? throw new InvalidOperationException("密钥环没有当前签名密钥。");
        if (key.PrivateKey is null)
        {
            throw new InvalidOperationException("当前密钥没有私钥，不能签名。");
        }

        if (validUntil <= issuedAt)
        {
            throw new ArgumentException("状态列表的有效期应晚于签发时间。", nameof(validUntil));
        }

        var dto = new StatusListDto
        {
            Type = "SojournStatusList",
            Authority = Authority.Code,
            AuthorityName = Authority.Name,
            KeyId = key.KeyId,
            StatusSize = BitsPerEntry,
            IssuedAt = issuedAt,
            ValidUntil = validUntil,
            EncodedList = "u" + Base64Url.EncodeToString(Gzip(_bits)),
        };
        var payload = JsonSerializer.SerializeToUtf8Bytes(dto, StatusListJsonContext.Default.StatusListDto);
        var signingInput = Prefix + Base64Url.EncodeToString(payload);
        var signature = Sm2.Sign(key.PrivateKey, Encoding.ASCII.GetBytes(signingInput));
        IssuedAt = issuedAt;
        ValidUntil = validUntil;
        KeyId = key.KeyId;
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>
    /// Parses a signed list and checks its signature against the issuer's ring. Returns null with a
    /// zh-CN <paramref name="error"/> when the list is malformed, from an unknown key, or altered.
    /// </summary>
    public static StatusList? Verify(string compact, TrustedIssuers issuers, out string? error)
    {
        ArgumentNullException.ThrowIfNull(issuers);
        error = null;
        var text = compact?.Trim() ?? "";
        var dot = text.LastIndexOf('.');
        if (!text.StartsWith(Prefix, StringComparison.Ordinal) || dot <= Prefix.Length)
        {
            error = "状态列表格式错误。";
            return null;
        }

        StatusListDto? dto;
        byte[] signature;
        try
        {
            dto = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(text.AsSpan(Prefix.Length, dot - Prefix.Length)), StatusListJsonContext.Default.StatusListDto);
            signature = Base64Url.DecodeFromChars(text.AsSpan(dot + 1));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            error = "状态列表格式错误。";
            return null;
        }

        if (dto is not { Type: "SojournStatusList", StatusSize: BitsPerEntry, Authority: not null, KeyId: not null, EncodedList: ['u', ..] })
        {
            error = "状态列表格式错误。";
            return null;
        }

        var ring = issuers.Rings.FirstOrDefault(r => r.Authority.Code == dto.Authority);
        var key = ring?.Find(dto.KeyId);
        if (ring is null || key is null)
        {
            error = $"状态列表的签名密钥 {dto.KeyId} 不在发证机关 {dto.Authority} 的密钥环中。";
            return null;
        }

        if (!Sm2.Verify(key.PublicKey, Encoding.ASCII.GetBytes(text[..dot]), signature) || !key.WasActiveAt(dto.IssuedAt))
        {
            error = "状态列表签名无效（内容被篡改或签名密钥不符）。";
            return null;
        }

        byte[] bits;
        try
        {
            bits = Gunzip(Base64Url.DecodeFromChars(dto.EncodedList.AsSpan(1)));
        }
        catch (Exception e) when (e is FormatException or InvalidDataException)
        {
            error = "状态列表位串无法解压。";
            return null;
        }

        return new StatusList(ring.Authority, bits, dto.IssuedAt, dto.ValidUntil, key.KeyId);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] Gunzip(byte[] data)
    {
        using var input = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    internal sealed class StatusListDto
    {
        public string? Type { get; set; }

        public string? Authority { get; set; }

        public string? AuthorityName { get; set; }

        public string? KeyId { get; set; }

        public int StatusSize { get; set; }

        public DateTimeOffset IssuedAt { get; set; }

        public DateTimeOffset ValidUntil { get; set; }

        public string? EncodedList { get; set; }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StatusList.StatusListDto))]
internal sealed partial class StatusListJsonContext : JsonSerializerContext;
