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
    // Ciphertext format: "v1:" + key id + ":" + base64(nonce ‖ ciphertext ‖ tag). Ciphertexts written
    // before key rotation have no key id ("v1:" + base64; base64 has no ':') and use the legacy key.
    private const string Prefix = "v1:";
    private const int NonceBytes = 12;
    private const int TagBits = 128;

    /// <summary>Key id of the single key given as <c>Sojourn:Crypto:Sm4Key</c>; also the legacy key.</summary>
    public const string DefaultKeyId = "k1";

    private readonly Dictionary<string, byte[]> _sm4Keys;
    private readonly string _activeKeyId;
    private readonly string _legacyKeyId;
    private readonly byte[] _hmacKey;

    public IdentityProtector(byte[] sm4Key, byte[] hmacKey)
        : this(new Dictionary<string, byte[]> { [DefaultKeyId] = sm4Key }, DefaultKeyId, hmacKey)
    {
    }

    /// <summary>A key ring: <paramref name="activeKeyId"/> encrypts; every key decrypts what it wrote.</summary>
    public IdentityProtector(IReadOnlyDictionary<string, byte[]> sm4Keys, string activeKeyId, byte[] hmacKey, string legacyKeyId = DefaultKeyId)
    {
        ArgumentNullException.ThrowIfNull(sm4Keys);
        ArgumentNullException.ThrowIfNull(hmacKey);
        foreach (var (id, key) in sm4Keys)
        {
            if (key is null || key.Length != 16)
            {
                throw new ArgumentException($"SM4 key '{id}' must be 16 bytes (32 hex digits).", nameof(sm4Keys));
            }

            if (id.Length == 0 || id.Length > 16 || !id.All(char.IsAsciiLetterOrDigit))
            {
                throw new ArgumentException($"SM4 key id '{id}' must be 1–16 ASCII letters or digits.", nameof(sm4Keys));
            }
        }

        if (!sm4Keys.ContainsKey(activeKeyId))
        {
            throw new ArgumentException($"Active SM4 key id '{activeKeyId}' is not in the key ring.", nameof(activeKeyId));
        }

        if (hmacKey.Length < 16)
        {
            throw new ArgumentException("HMAC key must be at least 16 bytes.", nameof(hmacKey));
        }

        _sm4Keys = sm4Keys.ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal);
        _activeKeyId = activeKeyId;
        _legacyKeyId = legacyKeyId;
        _hmacKey = hmacKey;
    }

    public string ActiveKeyId => _activeKeyId;

    /// <summary>Builds from hex keys; without an HMAC key one is derived from the SM4 key.</summary>
    public static IdentityProtector FromHex(string sm4KeyHex, string? hmacKeyHex) =>
        FromHex(new Dictionary<string, string> { [DefaultKeyId] = sm4KeyHex }, DefaultKeyId, hmacKeyHex);

    /// <summary>Builds a key ring from hex keys (<c>Sojourn:Crypto:Sm4Keys:{id}</c>, <c>Sojourn:Crypto:Sm4ActiveKeyId</c>).</summary>
    public static IdentityProtector FromHex(IReadOnlyDictionary<string, string> sm4KeysHex, string activeKeyId, string? hmacKeyHex)
    {
        ArgumentNullException.ThrowIfNull(sm4KeysHex);
        var keys = sm4KeysHex.ToDictionary(k => k.Key, k => Convert.FromHexString(k.Value.Trim()), StringComparer.Ordinal);
        var legacy = keys.ContainsKey(DefaultKeyId) ? DefaultKeyId : activeKeyId;
        var hmac = string.IsNullOrWhiteSpace(hmacKeyHex)
            ? Sm3Hmac(keys[legacy], Encoding.ASCII.GetBytes("sojourn/identity-lookup"))
            : Convert.FromHexString(hmacKeyHex.Trim());
        return new IdentityProtector(keys, activeKeyId, hmac, legacy);
    }

    public string Encrypt(string plain)
    {
        ArgumentNullException.ThrowIfNull(plain);
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var cipher = new GcmBlockCipher(new SM4Engine());
        cipher.Init(true, new AeadParameters(new KeyParameter(_sm4Keys[_activeKeyId]), TagBits, nonce));
        var input = Encoding.UTF8.GetBytes(plain);
        var output = new byte[cipher.GetOutputSize(input.Length)];
        var len = cipher.ProcessBytes(input, 0, input.Length, output, 0);
        cipher.DoFinal(output, len);
        return Prefix + _activeKeyId + ":" + Convert.ToBase64String([.. nonce, .. output]);
    }

    public string Decrypt(string protectedValue)
    {
        var (keyId, payload) = Parse(protectedValue);
        if (!_sm4Keys.TryGetValue(keyId, out var key))
        {
            throw new CryptographicException($"SM4 key '{keyId}' is not configured (Sojourn:Crypto:Sm4Keys).");
        }

        var data = Convert.FromBase64String(payload);
        var cipher = new GcmBlockCipher(new SM4Engine());
        cipher.Init(false, new AeadParameters(new KeyParameter(key), TagBits, data[..NonceBytes]));
        var output = new byte[cipher.GetOutputSize(data.Length - NonceBytes)];
        var len = cipher.ProcessBytes(data, NonceBytes, data.Length - NonceBytes, output, 0);
        len += cipher.DoFinal(output, len);
        return Encoding.UTF8.GetString(output, 0, len);
    }

    /// <summary>
    /// SM4-GCM of a blob (an uploaded batch file while it is processed): key id length, key id, nonce, ciphertext and
    /// tag. Written under the active key; decrypted by any key of the ring.
    /// </summary>
    public byte[] EncryptBytes(byte[] plain)
    {
        ArgumentNullException.ThrowIfNull(plain);
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var cipher = new GcmBlockCipher(new SM4Engine());
        cipher.Init(true, new AeadParameters(new KeyParameter(_sm4Keys[_activeKeyId]), TagBits, nonce));
        var keyId = Encoding.ASCII.GetBytes(_activeKeyId);
        var head = 1 + keyId.Length + NonceBytes;
        var output = new byte[head + cipher.GetOutputSize(plain.Length)];
        output[0] = (byte)keyId.Length;
        keyId.CopyTo(output, 1);
        nonce.CopyTo(output, 1 + keyId.Length);
        var len = cipher.ProcessBytes(plain, 0, plain.Length, output, head);
        cipher.DoFinal(output, head + len);
        return output;
    }

    public byte[] DecryptBytes(byte[] protectedValue)
    {
        ArgumentNullException.ThrowIfNull(protectedValue);
        var keyId = Encoding.ASCII.GetString(protectedValue, 1, protectedValue[0]);
        if (!_sm4Keys.TryGetValue(keyId, out var key))
        {
            throw new CryptographicException($"SM4 key '{keyId}' is not configured (Sojourn:Crypto:Sm4Keys).");
        }

        var head = 1 + protectedValue[0] + NonceBytes;
        var cipher = new GcmBlockCipher(new SM4Engine());
        cipher.Init(false, new AeadParameters(new KeyParameter(key), TagBits, protectedValue[(1 + protectedValue[0])..head]));
        var output = new byte[cipher.GetOutputSize(protectedValue.Length - head)];
        var len = cipher.ProcessBytes(protectedValue, head, protectedValue.Length - head, output, 0);
        len += cipher.DoFinal(output, len);
        return len == output.Length ? output : output[..len];
    }

    /// <summary>The key id a ciphertext was written with.</summary>
    public string KeyIdOf(string protectedValue) => Parse(protectedValue).KeyId;

    /// <summary>Re-encrypts under the active key when written with an older one; otherwise returns it unchanged.</summary>
    public string Reprotect(string protectedValue)
    {
        ArgumentNullException.ThrowIfNull(protectedValue);
        return KeyIdOf(protectedValue) == _activeKeyId && protectedValue.AsSpan(Prefix.Length).Contains(':')
            ? protectedValue
            : Encrypt(Decrypt(protectedValue));
    }

    private (string KeyId, string Payload) Parse(string protectedValue)
    {
        ArgumentNullException.ThrowIfNull(protectedValue);
        if (!protectedValue.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new FormatException("Unknown ciphertext format.");
        }

        var rest = protectedValue[Prefix.Length..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (_legacyKeyId, rest) : (rest[..colon], rest[(colon + 1)..]);
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
