using Org.BouncyCastle.Crypto.Parameters;

namespace Sojourn.Credentials;

/// <summary>
/// One SM2 key of an issuing authority. <see cref="RetiredAt"/> is null for the current key; a
/// retired key still verifies what it signed before retirement, until those credentials expire.
/// The private half is absent in a public (checker) copy of the ring.
/// </summary>
public sealed class IssuerKey
{
    internal IssuerKey(ECPublicKeyParameters publicKey, ECPrivateKeyParameters? privateKey, DateTimeOffset createdAt, DateTimeOffset? retiredAt)
    {
        PublicKey = publicKey;
        PrivateKey = privateKey;
        CreatedAt = createdAt;
        RetiredAt = retiredAt;
        KeyId = Convert.ToHexStringLower(Sm2.KeyId(publicKey));
    }

    /// <summary>Hex of the first 8 bytes of SM3(uncompressed public key).</summary>
    public string KeyId { get; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset? RetiredAt { get; internal set; }

    public bool HasPrivateKey => PrivateKey is not null;

    /// <summary>Uncompressed public point 04‖x‖y as hex (130 digits).</summary>
    public string PublicKeyHex => Convert.ToHexStringLower(Sm2.EncodePublic(PublicKey));

    internal ECPublicKeyParameters PublicKey { get; }

    internal ECPrivateKeyParameters? PrivateKey { get; }

    internal byte[] KeyIdBytes => Convert.FromHexString(KeyId);

    /// <summary>True when this key may have signed something issued at <paramref name="issuedAt"/>.</summary>
    public bool WasActiveAt(DateTimeOffset issuedAt) => RetiredAt is not { } retired || issuedAt < retired;
}
