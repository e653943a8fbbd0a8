using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Security;

namespace Sojourn.Credentials;

/// <summary>
/// The SM2 keys of one issuing authority: one current signing key and the retired ones with their
/// retirement instant. Saved as JSON with hex keys (<see cref="ToJson"/>); the public copy
/// (<see cref="ToPublicJson"/>) is what checkers sync. Rotation keeps old keys so that credentials
/// they signed verify until their own expiry; a key that is not in the ring is unknown.
/// </summary>
public sealed class IssuerKeyRing
{
    private readonly List<IssuerKey> _keys;

    private IssuerKeyRing(IssuingAuthority authority, List<IssuerKey> keys)
    {
        Authority = authority;
        _keys = keys;
    }

    public IssuingAuthority Authority { get; }

    /// <summary>All keys, current first, then retired from the most recent.</summary>
    public IReadOnlyList<IssuerKey> Keys => _keys;

    /// <summary>The key that signs now, or null in a ring whose current key was removed.</summary>
    public IssuerKey? Current => _keys.FirstOrDefault(k => k.RetiredAt is null);

    /// <summary>A new ring with one freshly generated current key.</summary>
    public static IssuerKeyRing Generate(IssuingAuthority authority, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(time);
        var (priv, pub) = Sm2.Generate();
        return new IssuerKeyRing(authority, [new IssuerKey(pub, priv, time.GetUtcNow(), null)]);
    }

    /// <summary>Retires the current key now and makes a newly generated key current.</summary>
    public IssuerKey Rotate(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        foreach (var key in _keys.Where(k => k.RetiredAt is null))
        {
            key.RetiredAt = now;
        }

        var (priv, pub) = Sm2.Generate();
        var fresh = new IssuerKey(pub, priv, now, null);
        _keys.Insert(0, fresh);
        return fresh;
    }

    public IssuerKey? Find(string keyId) =>
        _keys.FirstOrDefault(k => string.Equals(k.KeyId, keyId, StringComparison.OrdinalIgnoreCase));

    /// <summary>A copy without private keys, for checkers.</summary>
    public IssuerKeyRing PublicOnly() =>
        new(Authority, [.. _keys.Select(k => new IssuerKey(k.PublicKey, null, k.CreatedAt, k.RetiredAt))]);

    /// <summary>SubjectPublicKeyInfo PEM of one key, for tools outside Sojourn (e.g. gmssl, openssl 3).</summary>
    public string ExportPublicKeyPem(string keyId)
    {
        var key = Find(keyId) ?? throw new KeyNotFoundException($"密钥不在密钥环中：{keyId}");
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var pem = new PemWriter(text))
        {
            pem.WriteObject(key.PublicKey);
        }

        return text.ToString();
    }

    /// <summary>Adds a public key received as SubjectPublicKeyInfo PEM (e.g. from another system).</summary>
    public IssuerKey ImportPublicKeyPem(string pem, DateTimeOffset createdAt, DateTimeOffset? retiredAt)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (retiredAt is null && Current is not null)
        {
            throw new InvalidOperationException("密钥环已有当前密钥；导入的公钥应带停用时间。");
        }

        using var reader = new StringReader(pem);
        var parsed = new PemReader(reader).ReadObject() as Org.BouncyCastle.Crypto.Parameters.ECPublicKeyParameters
            ?? throw new FormatException("不是EC公钥PEM。");
        var key = new IssuerKey(Sm2.DecodePublic(parsed.Q.GetEncoded(false)), null, createdAt, retiredAt);
        _keys.Add(key);
        return key;
    }

    public string ToJson() => Serialize(includePrivate: true);

    public string ToPublicJson() => Serialize(includePrivate: false);

    public static IssuerKeyRing FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var dto = JsonSerializer.Deserialize(json, KeyRingJsonContext.Default.KeyRingDto)
            ?? throw new FormatException("密钥环文件为空。");
        if (dto.Authority is null || dto.Keys is null)
        {
            throw new FormatException("密钥环文件缺少 authority 或 keys。");
        }

        var keys = new List<IssuerKey>();
        foreach (var k in dto.Keys)
        {
            var pub = Sm2.DecodePublic(Convert.FromHexString(k.PublicKey ?? throw new FormatException("密钥缺少 publicKey。")));
            Org.BouncyCastle.Crypto.Parameters.ECPrivateKeyParameters? priv = null;
            if (!string.IsNullOrEmpty(k.PrivateKey))
            {
                priv = Sm2.DecodePrivate(Convert.FromHexString(k.PrivateKey));
                if (!Sm2.PublicFromPrivate(priv).Q.Equals(pub.Q))
                {
                    throw new FormatException($"私钥与公钥不匹配：{k.KeyId}");
                }
            }

            var key = new IssuerKey(pub, priv, k.CreatedAt, k.RetiredAt);
            if (k.KeyId is not null && !string.Equals(k.KeyId, key.KeyId, StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException($"密钥标识与公钥不符：{k.KeyId}（应为 {key.KeyId}）");
            }

            keys.Add(key);
        }

        if (keys.Count(k => k.RetiredAt is null) > 1)
        {
            throw new FormatException("密钥环中只能有一个当前密钥。");
        }

        keys.Sort((a, b) => (b.RetiredAt ?? DateTimeOffset.MaxValue).CompareTo(a.RetiredAt ?? DateTimeOffset.MaxValue));
        return new IssuerKeyRing(new IssuingAuthority(dto.Authority.Code ?? "", dto.Authority.Name ?? ""), keys);
    }

    private string Serialize(bool includePrivate)
    {
        var dto = new KeyRingDto
        {
            Format = "sojourn-sm2-keyring/1",
            Authority = new AuthorityDto { Code = Authority.Code, Name = Authority.Name },
            Keys =
            [
                .. _keys.Select(k => new KeyDto
                {
                    KeyId = k.KeyId,
                    PublicKey = k.PublicKeyHex,
                    PrivateKey = includePrivate && k.PrivateKey is { } p ? Convert.ToHexStringLower(Sm2.EncodePrivate(p)) : null,
                    CreatedAt = k.CreatedAt,
                    RetiredAt = k.RetiredAt,
                }),
            ],
        };
        return JsonSerializer.Serialize(dto, KeyRingJsonContext.Default.KeyRingDto);
    }

    internal sealed class KeyRingDto
    {
        public string? Format { get; set; }

        public AuthorityDto? Authority { get; set; }

        public List<KeyDto>? Keys { get; set; }
    }

    internal sealed class AuthorityDto
    {
        public string? Code { get; set; }

        public string? Name { get; set; }
    }

    internal sealed class KeyDto
    {
        public string? KeyId { get; set; }

        public string? PublicKey { get; set; }

        public string? PrivateKey { get; set; }

        public DateTimeOffset CreatedAt { get; set; }

        public DateTimeOffset? RetiredAt { get; set; }
    }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IssuerKeyRing.KeyRingDto))]
internal sealed partial class KeyRingJsonContext : JsonSerializerContext;

/// <summary>The public keys of several authorities, as a checker holds them.</summary>
public sealed class TrustedIssuers
{
    private readonly List<IssuerKeyRing> _rings;

    public TrustedIssuers(IEnumerable<IssuerKeyRing> rings)
    {
        ArgumentNullException.ThrowIfNull(rings);
        _rings = [.. rings];
    }

    public IReadOnlyList<IssuerKeyRing> Rings => _rings;

    /// <summary>The ring and key with this key id, or nulls.</summary>
    public (IssuerKeyRing? Ring, IssuerKey? Key) Find(ReadOnlySpan<byte> keyId)
    {
        var hex = Convert.ToHexStringLower(keyId);
        foreach (var ring in _rings)
        {
            if (ring.Find(hex) is { } key)
            {
                return (ring, key);
            }
        }

        return (null, null);
    }

    /// <summary>Reads one ring (JSON object) or several (JSON array of rings).</summary>
    public static TrustedIssuers FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var trimmed = json.TrimStart();
        if (trimmed.StartsWith('['))
        {
            using var doc = JsonDocument.Parse(json);
            return new TrustedIssuers(doc.RootElement.EnumerateArray().Select(e => IssuerKeyRing.FromJson(e.GetRawText())));
        }

        return new TrustedIssuers([IssuerKeyRing.FromJson(json)]);
    }
}
