using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace Sojourn.Credentials;

/// <summary>
/// SM2 signatures (GM/T 0003) with the SM3 digest over Z‖M, using the default signer identity
/// "1234567812345678" of GM/T 0009. Signatures are the plain 64-byte r‖s form (not DER) so that
/// they have a fixed, short length in a QR code.
/// </summary>
internal static class Sm2
{
    public const int SignatureLength = 64;
    public const int KeyIdLength = 8;

    /// <summary>GM/T 0009 §10 default user identity.</summary>
    private static readonly byte[] DefaultUserId = Encoding.ASCII.GetBytes("1234567812345678");

    public static readonly ECDomainParameters Domain = CreateDomain();

    private static ECDomainParameters CreateDomain()
    {
        var curve = GMNamedCurves.GetByName("sm2p256v1");
        return new ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H, curve.GetSeed());
    }

    public static (ECPrivateKeyParameters Private, ECPublicKeyParameters Public) Generate()
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(Domain, new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        return ((ECPrivateKeyParameters)pair.Private, (ECPublicKeyParameters)pair.Public);
    }

    public static ECPublicKeyParameters PublicFromPrivate(ECPrivateKeyParameters key) =>
        new(Domain.G.Multiply(key.D).Normalize(), Domain);

    /// <summary>Uncompressed point 04‖x‖y (65 bytes).</summary>
    public static byte[] EncodePublic(ECPublicKeyParameters key) => key.Q.GetEncoded(false);

    public static ECPublicKeyParameters DecodePublic(byte[] encoded) =>
        new(Domain.Curve.DecodePoint(encoded), Domain);

    public static byte[] EncodePrivate(ECPrivateKeyParameters key) => key.D.ToByteArrayUnsigned().PadLeft(32);

    public static ECPrivateKeyParameters DecodePrivate(byte[] encoded) => new(new BigInteger(1, encoded), Domain);

    /// <summary>Key id: the first 8 bytes of SM3 over the uncompressed public key.</summary>
    public static byte[] KeyId(ECPublicKeyParameters key) => Sm3(EncodePublic(key))[..KeyIdLength];

    public static byte[] Sm3(ReadOnlySpan<byte> data)
    {
        var digest = new SM3Digest();
        digest.BlockUpdate(data);
        var output = new byte[digest.GetDigestSize()];
        digest.DoFinal(output, 0);
        return output;
    }

    public static byte[] Sign(ECPrivateKeyParameters key, ReadOnlySpan<byte> message)
    {
        var signer = new SM2Signer(PlainDsaEncoding.Instance, new SM3Digest());
        signer.Init(true, new ParametersWithID(new ParametersWithRandom(key, new SecureRandom()), DefaultUserId));
        signer.BlockUpdate(message);
        return signer.GenerateSignature();
    }

    public static bool Verify(ECPublicKeyParameters key, ReadOnlySpan<byte> message, byte[] signature)
    {
        if (signature.Length != SignatureLength)
        {
            return false;
        }

        var signer = new SM2Signer(PlainDsaEncoding.Instance, new SM3Digest());
        signer.Init(false, new ParametersWithID(key, DefaultUserId));
        signer.BlockUpdate(message);
        try
        {
            return signer.VerifySignature(signature);
        }
        catch (Exception e) when (e is CryptoException or ArgumentException or InvalidOperationException)
        {
            // Out-of-range r or s in a forged signature: not valid, not a crash.
            return false;
        }
    }

    private static byte[] PadLeft(this byte[] value, int length)
    {
        if (value.Length >= length)
        {
            return value;
        }

        var padded = new byte[length];
        value.CopyTo(padded, length - value.Length);
        return padded;
    }

    /// <summary>Constant-time comparison for digests supplied by a checker.</summary>
    public static bool FixedTimeEquals(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) =>
        CryptographicOperations.FixedTimeEquals(a, b);
}
