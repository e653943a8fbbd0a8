using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace Sojourn.Data.Security;

/// <summary>
/// Protects identity numbers at rest: SM4-GCM ciphertext for the number itself and a keyed SM3 HMAC
/// for exact lookup (the same number always gives the same hash, which a database index can serve).
/// Keys come from configuration (<c>Sojourn:Crypto:Sm4Key</c>, <c>Sojourn:Crypto:HmacKey</c>, hex).
/// </summary>
public sealed class IdentityProtector
{
    // Ciphertext format: "v1:" + base64(nonce ‖ ciphertext ‖ tag). The prefix leaves room for key rotation.
    private const string Prefix = "v1:";
    private const int NonceBytes = 12;
    private const int TagBits = 128;

    private readonly byte[] _sm4Key;
    private readonly byte[] _hmacKey;

    public IdentityProtector(byte[] sm4Key, byte[] hmacKey)
    {
        ArgumentNullException.ThrowIfNull(sm4Key);
        ArgumentNullException.ThrowIfNull(hmacKey);
        if (sm4Key.Length != 16)
        {
            throw new ArgumentException("SM4 key must be 16 bytes (32 hex digits).", nameof(sm4Key));
        }

        if (hmacKey.Length < 16)
        {
            throw new ArgumentException("HMAC key must be at least 16 bytes.", nameof(hmacKey));
        }

        _sm4Key = sm4Key;
        _hmacKey = hmacKey;
    }

    /// <summary>Builds from hex keys; without an HMAC key one is derived from the SM4 key.</summary>
    public static IdentityProtector FromHex(string sm4KeyHex, string? hmacKeyHex)
    {
        var sm4 = Convert.FromHexString(sm4KeyHex.Trim());
        var hmac = string.IsNullOrWhiteSpace(hmacKeyHex)
            ? Sm3Hmac(sm4, Encoding.ASCII.GetBytes("sojourn/identity-lookup"))
            : Convert.FromHexString(hmacKeyHex.Trim());
        return new IdentityProtector(sm4, hmac);
    }

    public string Encrypt(string plain)
    {
        ArgumentNullException.ThrowIfNull(plain);
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var cipher = new GcmBlockCipher(new SM4Engine());
        cipher.Init(true, new AeadParameters(new KeyParameter(_sm4Key), TagBits, nonce));
        var input = Encoding.UTF8.GetBytes(plain);
        var output = new byte[cipher.GetOutputSize(input.Length)];
        var len = cipher.ProcessBytes(input, 0, input.Length, output, 0);
        cipher.DoFinal(output, len);
        return Prefix + Convert.ToBase64String([.. nonce, .. output]);
    }

    public string Decrypt(string protectedValue)
    {
        ArgumentNullException.ThrowIfNull(protectedValue);
        if (!protectedValue.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new FormatException("Unknown ciphertext format.");
        }

        var data = Convert.FromBase64String(protectedValue[Prefix.Length..]);
        var cipher = new GcmBlockCipher(new SM4Engine());
        cipher.Init(false, new AeadParameters(new KeyParameter(_sm4Key), TagBits, data[..NonceBytes]));
        var output = new byte[cipher.GetOutputSize(data.Length - NonceBytes)];
        var len = cipher.ProcessBytes(data, NonceBytes, data.Length - NonceBytes, output, 0);
        len += cipher.DoFinal(output, len);
        return Encoding.UTF8.GetString(output, 0, len);
    }

    /// <summary>Lookup hash (hex, 64 chars) of a canonical identity number.</summary>
    public string LookupHash(string plain)
    {
        ArgumentNullException.ThrowIfNull(plain);
        return Convert.ToHexStringLower(Sm3Hmac(_hmacKey, Encoding.UTF8.GetBytes(plain.ToUpperInvariant())));
    }

    private static byte[] Sm3Hmac(byte[] key, byte[] data)
    {
        var mac = new HMac(new SM3Digest());
        mac.Init(new KeyParameter(key));
        mac.BlockUpdate(data, 0, data.Length);
        var result = new byte[mac.GetMacSize()];
        mac.DoFinal(result, 0);
        return result;
    }
}
