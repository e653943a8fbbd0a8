using System.Buffers.Text;
using System.Text;
using Sojourn.Credentials;
using Xunit.Abstractions;

namespace Sojourn.Credentials.Tests;

public class CredentialTests(ITestOutputHelper output)
{
    private readonly IssuerKeyRing _ring = TestData.Ring();

    private CredentialVerifier Verifier(params IssuerKeyRing[] rings) =>
        new(new TrustedIssuers(rings.Length == 0 ? [_ring.PublicOnly()] : rings), new FixedTime(TestData.Noon(2026, 12, 1)));

    [Fact]
    public void Verify_FreshlyIssued_Valid()
    {
        var credential = CredentialCodec.Issue(TestData.Claims(), _ring);

        var result = Verifier().Verify(credential);

        Assert.Equal(VerificationReason.Valid, result.Reason);
        Assert.Equal("张*明", result.Credential!.MaskedName);
        Assert.Equal(_ring.Current!.KeyId, result.Credential.KeyId);
        Assert.Equal(TestData.Claims() with { KeyId = _ring.Current.KeyId, PhotoDigest = result.Credential.PhotoDigest }, result.Credential);
        Assert.Equal(TestData.Claims().PhotoDigest.ToArray(), result.Credential.PhotoDigest.ToArray());
    }

    [Fact]
    public void Issue_TypicalPermit_FitsQrVersion12()
    {
        var credential = CredentialCodec.Issue(TestData.Claims(), _ring);
        var url = VerificationUrl.Build(new Uri("https://sojourn.example.cn"), credential);

        output.WriteLine($"credential {credential.Length} chars, QR v{CredentialQr.Version(credential)}-M; URL {url.Length} chars, QR v{CredentialQr.Version(url)}-M");
        Assert.True(credential.Length <= 280, $"{credential.Length} chars");
        Assert.True(CredentialQr.Version(credential) <= 12);
    }

    [Fact]
    public void Verify_SignedByUntrustedKeyOfSameAuthority_UnknownKey()
    {
        var forger = TestData.Ring();
        var forged = CredentialCodec.Issue(TestData.Claims(), forger);

        var result = Verifier().Verify(forged);

        Assert.Equal(VerificationReason.UnknownKey, result.Reason);
        Assert.Contains("密钥", result.Message);
    }

    [Fact]
    public void Verify_TrustedKeyIdButForgedSignature_BadSignature()
    {
        var genuine = CredentialCodec.Issue(TestData.Claims(), _ring);
        var signingInput = genuine[..genuine.LastIndexOf('.')];
        var forgerKey = TestData.Ring().Current!;
        var forged = signingInput + "." + Base64Url.EncodeToString(Sm2.Sign(forgerKey.PrivateKey!, Encoding.ASCII.GetBytes(signingInput)));

        var result = Verifier().Verify(forged);

        Assert.Equal(VerificationReason.BadSignature, result.Reason);
        Assert.Null(result.Credential);
    }

    [Fact]
    public void Verify_OnePayloadByteAltered_BadSignature()
    {
        var genuine = CredentialCodec.Issue(TestData.Claims(), _ring);
        var parts = genuine.Split('.');
        var payload = Base64Url.DecodeFromChars(parts[1]);
        var at = Encoding.ASCII.GetBytes("3201062026000001").Length;
        var index = payload.AsSpan().IndexOf("3201062026000001"u8) + at - 1;
        payload[index] = (byte)'9'; // permit number ...0001 -> ...0009

        var altered = $"{parts[0]}.{Base64Url.EncodeToString(payload)}.{parts[2]}";
        var result = Verifier().Verify(altered);

        Assert.Equal(VerificationReason.BadSignature, result.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("SJ1.")]
    [InlineData("SJ1.AAAA.BBBB")]
    [InlineData("SJ2.oQEC.AAAA")]
    public void Verify_NotACredential_Malformed(string text)
    {
        Assert.Equal(VerificationReason.Malformed, Verifier().Verify(text).Reason);
    }

    [Fact]
    public void Verify_OnEndorsementDeadline_Valid()
    {
        var credential = CredentialCodec.Issue(TestData.Claims(), _ring);

        var result = Verifier().Verify(credential, new VerificationInput { At = TestData.Noon(2027, 5, 6) });

        Assert.Equal(VerificationReason.Valid, result.Reason);
    }

    [Fact]
    public void Verify_DayAfterEndorsementDeadline_EndorsementLapsedWithDate()
    {
        var credential = CredentialCodec.Issue(TestData.Claims(), _ring);

        var result = Verifier().Verify(credential, new VerificationInput { At = new DateTimeOffset(2027, 5, 7, 0, 0, 1, TimeSpan.FromHours(8)) });

        Assert.Equal(VerificationReason.EndorsementLapsed, result.Reason);
        Assert.Equal(new DateOnly(2027, 5, 6), result.Date);
        Assert.Equal("SJ-CRED-004", result.Code);
        Assert.Contains("2027年5月6日", result.Message);
    }

    [Fact]
    public void Verify_AfterPermitExpiryBeforeDeadline_PermitExpired()
    {
        var claims = TestData.Claims() with { ValidUntil = new DateOnly(2027, 3, 1) };
        var credential = CredentialCodec.Issue(claims, _ring);

        var result = Verifier().Verify(credential, new VerificationInput { At = TestData.Noon(2027, 3, 2) });

        Assert.Equal(VerificationReason.PermitExpired, result.Reason);
        Assert.Equal(new DateOnly(2027, 3, 1), result.Date);
    }

    [Fact]
    public void Verify_EndorsementSuspended_EndorsementLapsed()
    {
        var credential = CredentialCodec.Issue(TestData.Claims() with { Endorsement = EndorsementStatus.Suspended }, _ring);

        Assert.Equal(VerificationReason.EndorsementLapsed, Verifier().Verify(credential).Reason);
    }

    [Fact]
    public void Verify_BeforeValidFrom_NotYetValid()
    {
        var credential = CredentialCodec.Issue(TestData.Claims(), _ring);

        var result = Verifier().Verify(credential, new VerificationInput { At = TestData.Noon(2026, 5, 5) });

        Assert.Equal(VerificationReason.NotYetValid, result.Reason);
        Assert.Equal(new DateOnly(2026, 5, 6), result.Date);
    }

    [Fact]
    public void Verify_MatchingPhoto_Valid()
    {
        var credential = CredentialCodec.Issue(TestData.Claims(), _ring);

        Assert.True(Verifier().Verify(credential, new VerificationInput { Photo = TestData.Photo }).IsValid);
    }

    [Fact]
    public void Verify_OtherPhoto_PhotoMismatch()
    {
        var credential = CredentialCodec.Issue(TestData.Claims(), _ring);

        var result = Verifier().Verify(credential, new VerificationInput { Photo = "someone-else"u8.ToArray() });

        Assert.Equal(VerificationReason.PhotoMismatch, result.Reason);
    }

    [Fact]
    public void Verify_KeyRetiredAfterIssue_StillValidUntilExpiry()
    {
        var credential = CredentialCodec.Issue(TestData.Claims(), _ring);
        _ring.Rotate(new FixedTime(TestData.IssuedAt.AddDays(30)));

        var before = Verifier().Verify(credential, new VerificationInput { At = TestData.Noon(2027, 5, 6) });
        var after = Verifier().Verify(credential, new VerificationInput { At = TestData.Noon(2027, 5, 7) });

        Assert.Equal(VerificationReason.Valid, before.Reason);
        Assert.Equal(VerificationReason.EndorsementLapsed, after.Reason);
    }

    [Fact]
    public void Verify_SignedByKeyAfterItsRetirement_KeyRetired()
    {
        var stolen = IssuerKeyRing.FromJson(_ring.ToJson()); // a copy of the old key, taken before rotation
        _ring.Rotate(new FixedTime(TestData.IssuedAt.AddDays(30)));
        var credential = CredentialCodec.Issue(TestData.Claims() with { IssuedAt = TestData.IssuedAt.AddDays(31) }, stolen);

        Assert.Equal(VerificationReason.KeyRetired, Verifier().Verify(credential).Reason);
    }

    [Fact]
    public void Verify_RingWithoutTheKey_UnknownKey()
    {
        var credential = CredentialCodec.Issue(TestData.Claims(), _ring);

        var result = Verifier(TestData.Ring().PublicOnly()).Verify(credential);

        Assert.Equal(VerificationReason.UnknownKey, result.Reason);
    }

    [Fact]
    public void Verify_KeyOfAnotherAuthority_UnknownKey()
    {
        // A trusted authority signs a credential naming a different authority.
        var other = TestData.Ring(new IssuingAuthority("320102", "南京市公安局玄武分局"));
        var claims = TestData.Claims(other.Authority);
        var genuine = CredentialCodec.Issue(claims, other);
        var payload = CredentialCodec.Encode(claims with { Authority = TestData.Gulou, KeyId = other.Current!.KeyId });
        var input = CredentialCodec.Prefix + Base64Url.EncodeToString(payload);
        var crossSigned = input + "." + Base64Url.EncodeToString(Sm2.Sign(other.Current.PrivateKey!, Encoding.ASCII.GetBytes(input)));

        Assert.True(Verifier(_ring.PublicOnly(), other.PublicOnly()).Verify(genuine).IsValid);
        Assert.Equal(VerificationReason.UnknownKey, Verifier(_ring.PublicOnly(), other.PublicOnly()).Verify(crossSigned).Reason);
    }

    [Fact]
    public void Verify_VerificationUrl_SameAsCredential()
    {
        var credential = CredentialCodec.Issue(TestData.Claims(), _ring);
        var url = VerificationUrl.Build(new Uri("https://sojourn.example.cn/"), credential);

        Assert.Equal("https://sojourn.example.cn/v/" + credential, url);
        Assert.True(Verifier().Verify(url).IsValid);
    }

    [Fact]
    public void Verify_RevokedInStatusList_Revoked()
    {
        var credential = CredentialCodec.Issue(TestData.Claims(), _ring);
        var list = new StatusList(TestData.Gulou);
        list.Set(42, CredentialStatus.Revoked);
        var signed = list.Sign(_ring, TestData.Noon(2026, 11, 30), TestData.Noon(2026, 12, 7));

        var result = Verifier().Verify(credential, new VerificationInput { StatusList = signed });

        Assert.Equal(VerificationReason.Revoked, result.Reason);
    }

    [Fact]
    public void Verify_SuspendedInStatusList_Suspended()
    {
        var credential = CredentialCodec.Issue(TestData.Claims(), _ring);
        var list = new StatusList(TestData.Gulou);
        list.Set(42, CredentialStatus.Suspended);
        var signed = list.Sign(_ring, TestData.Noon(2026, 11, 30), TestData.Noon(2026, 12, 7));

        Assert.Equal(VerificationReason.Suspended, Verifier().Verify(credential, new VerificationInput { StatusList = signed }).Reason);
    }

    [Fact]
    public void Verify_StaleStatusList_ValidWithWarning()
    {
        var credential = CredentialCodec.Issue(TestData.Claims(), _ring);
        var signed = new StatusList(TestData.Gulou).Sign(_ring, TestData.Noon(2026, 11, 1), TestData.Noon(2026, 11, 8));

        var result = Verifier().Verify(credential, new VerificationInput { StatusList = signed });

        Assert.True(result.IsValid);
        Assert.Contains(result.Warnings, w => w.Contains("过期"));
    }

    [Fact]
    public void Verify_TamperedStatusList_StatusListInvalid()
    {
        var credential = CredentialCodec.Issue(TestData.Claims(), _ring);
        var list = new StatusList(TestData.Gulou);
        list.Set(42, CredentialStatus.Revoked);
        var signed = list.Sign(_ring, TestData.Noon(2026, 11, 30), TestData.Noon(2026, 12, 7));
        var cleared = new StatusList(TestData.Gulou).Sign(_ring, TestData.Noon(2026, 11, 30), TestData.Noon(2026, 12, 7));

        // The revoking list's signature on a payload whose bitstring has index 42 cleared.
        var tampered = StatusListTests.WithPayloadField(signed, "encodedList", StatusListTests.PayloadField(cleared, "encodedList"));
        var result = Verifier().Verify(credential, new VerificationInput { StatusList = tampered });

        Assert.Equal(VerificationReason.StatusListInvalid, result.Reason);
        Assert.Contains("签名无效", result.Message);
    }
}
