using Sojourn.Credentials;

namespace Sojourn.Credentials.Tests;

public class KeyRingTests
{
    [Fact]
    public void FromJson_SavedRing_StillSigns()
    {
        var ring = TestData.Ring();
        var reloaded = IssuerKeyRing.FromJson(ring.ToJson());

        var credential = CredentialCodec.Issue(TestData.Claims(), reloaded);

        Assert.True(new CredentialVerifier(new TrustedIssuers([ring.PublicOnly()]), new FixedTime(TestData.Noon(2026, 6, 1))).Verify(credential).IsValid);
    }

    [Fact]
    public void ToPublicJson_AnyRing_HasNoPrivateKey()
    {
        var ring = TestData.Ring();
        ring.Rotate(new FixedTime(TestData.IssuedAt));

        var json = ring.ToPublicJson();

        Assert.DoesNotContain("privateKey", json);
        Assert.All(IssuerKeyRing.FromJson(json).Keys, k => Assert.False(k.HasPrivateKey));
    }

    [Fact]
    public void KeyId_AnyKey_IsFirst8BytesOfSm3OfPublicKey()
    {
        var key = TestData.Ring().Current!;

        Assert.Equal(Convert.ToHexStringLower(Sm2.Sm3(Convert.FromHexString(key.PublicKeyHex))[..8]), key.KeyId);
        Assert.Equal(16, key.KeyId.Length);
    }

    [Fact]
    public void Rotate_CurrentKey_RetiresItAndKeepsIt()
    {
        var ring = TestData.Ring();
        var old = ring.Current!;

        var fresh = ring.Rotate(new FixedTime(TestData.IssuedAt));

        Assert.Same(fresh, ring.Current);
        Assert.Equal(TestData.IssuedAt, old.RetiredAt);
        Assert.Equal(2, ring.Keys.Count);
        Assert.Single(ring.Keys, k => k.RetiredAt is null);
    }

    [Fact]
    public void FromJson_KeyIdNotMatchingPublicKey_Throws()
    {
        var json = TestData.Ring().ToJson();
        var kid = IssuerKeyRing.FromJson(json).Current!.KeyId;

        Assert.Throws<FormatException>(() => IssuerKeyRing.FromJson(json.Replace(kid, "0000000000000000", StringComparison.Ordinal)));
    }

    [Fact]
    public void ImportPublicKeyPem_ExportedKey_VerifiesItsCredentials()
    {
        var issuer = TestData.Ring();
        var credential = CredentialCodec.Issue(TestData.Claims(), issuer);
        var pem = issuer.ExportPublicKeyPem(issuer.Current!.KeyId);
        var checker = TestData.Ring().PublicOnly();

        var key = checker.ImportPublicKeyPem(pem, TestData.IssuedAt.AddDays(-1), retiredAt: TestData.IssuedAt.AddDays(1));

        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", pem);
        Assert.Equal(issuer.Current.KeyId, key.KeyId);
        Assert.True(new CredentialVerifier(new TrustedIssuers([checker]), new FixedTime(TestData.Noon(2026, 6, 1))).Verify(credential).IsValid);
    }

    [Fact]
    public void ImportPublicKeyPem_SecondCurrentKey_Throws()
    {
        var other = TestData.Ring();
        var pem = other.ExportPublicKeyPem(other.Current!.KeyId);
        var ring = TestData.Ring();

        Assert.ThrowsAny<Exception>(() => ring.ImportPublicKeyPem(pem, TestData.IssuedAt, null));
    }

    [Theory]
    [InlineData("张三明", "张*明")]
    [InlineData("张三", "张*")]
    [InlineData("欧阳娜娜", "欧**娜")]
    [InlineData("买买提·艾力", "买****力")]
    [InlineData("李", "李")]
    public void Mask_Name_KeepsFirstAndLast(string name, string masked)
    {
        Assert.Equal(masked, NameMask.Mask(name));
    }
}
