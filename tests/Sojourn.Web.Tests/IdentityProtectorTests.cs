using Sojourn.Data.Security;

namespace Sojourn.Web.Tests;

/// <summary>SM4 key rotation: the key id travels with each ciphertext; old keys decrypt; writes re-encrypt.</summary>
public sealed class IdentityProtectorTests
{
    private const string Hmac = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
    private const string Number = "13010219860412031X";

    [Fact]
    public void Decrypt_LegacyCiphertextWithoutKeyId_UsesKeyK1()
    {
        var old = IdentityProtector.FromHex("00112233445566778899aabbccddeeff", Hmac);
        var legacy = "v1:" + old.Encrypt(Number)["v1:k1:".Length..];
        var rotated = IdentityProtector.FromHex(
            new Dictionary<string, string> { ["k1"] = "00112233445566778899aabbccddeeff", ["k2"] = "0f0e0d0c0b0a09080706050403020100" }, "k2", Hmac);

        Assert.Equal(Number, rotated.Decrypt(legacy));
        Assert.Equal("k1", rotated.KeyIdOf(legacy));
    }

    [Fact]
    public void Reprotect_OldKey_ReencryptsUnderActiveKeyAndKeepsLookupHash()
    {
        var old = IdentityProtector.FromHex("00112233445566778899aabbccddeeff", Hmac);
        var cipher = old.Encrypt(Number);
        var rotated = IdentityProtector.FromHex(
            new Dictionary<string, string> { ["k1"] = "00112233445566778899aabbccddeeff", ["k2"] = "0f0e0d0c0b0a09080706050403020100" }, "k2", Hmac);

        var again = rotated.Reprotect(cipher);

        Assert.StartsWith("v1:k2:", again, StringComparison.Ordinal);
        Assert.Equal(Number, rotated.Decrypt(again));
        Assert.Same(again, rotated.Reprotect(again));
        Assert.Equal(old.LookupHash(Number), rotated.LookupHash(Number));
    }

    [Fact]
    public void Decrypt_RetiredKeyRemoved_FailsLoudly()
    {
        var old = IdentityProtector.FromHex("00112233445566778899aabbccddeeff", Hmac);
        var onlyNew = IdentityProtector.FromHex(new Dictionary<string, string> { ["k2"] = "0f0e0d0c0b0a09080706050403020100" }, "k2", Hmac);

        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => onlyNew.Decrypt(old.Encrypt(Number)));
    }
}
