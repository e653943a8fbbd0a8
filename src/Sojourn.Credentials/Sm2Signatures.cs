namespace Sojourn.Credentials;

/// <summary>
/// SM2 signatures over raw bytes for callers outside the e-permit (the audit log's signed heads): keys as bytes
/// (private 32, public 65 uncompressed), signatures as the plain 64-byte r‖s form of <see cref="Sm2"/>.
/// </summary>
public static class Sm2Signatures
{
    /// <summary>A new private key (32 bytes).</summary>
    public static byte[] NewPrivateKey() => Sm2.EncodePrivate(Sm2.Generate().Private);

    /// <summary>The uncompressed public key (65 bytes) of <paramref name="privateKey"/>.</summary>
    public static byte[] PublicKeyOf(byte[] privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        return Sm2.EncodePublic(Sm2.PublicFromPrivate(Sm2.DecodePrivate(privateKey)));
    }

    /// <summary>First 8 bytes of SM3 over the public key, as lower-case hex.</summary>
    public static string KeyId(byte[] publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return Convert.ToHexStringLower(Sm2.Sm3(publicKey)[..Sm2.KeyIdLength]);
    }

    public static byte[] Sign(byte[] privateKey, ReadOnlySpan<byte> message)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        return Sm2.Sign(Sm2.DecodePrivate(privateKey), message);
    }

    /// <summary>False for a wrong signature, a malformed key or a signature of another key.</summary>
    public static bool Verify(byte[] publicKey, ReadOnlySpan<byte> message, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(signature);
        try
        {
            return Sm2.Verify(Sm2.DecodePublic(publicKey), message, signature);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }
}
