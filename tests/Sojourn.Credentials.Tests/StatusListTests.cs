using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sojourn.Credentials;
using Xunit.Abstractions;

namespace Sojourn.Credentials.Tests;

public class StatusListTests(ITestOutputHelper output)
{
    private readonly IssuerKeyRing _ring = TestData.Ring();

    private TrustedIssuers Trusted => new([_ring.PublicOnly()]);

    [Fact]
    public void Verify_SignedList_BitsSurviveEncodeDecode()
    {
        var list = new StatusList(TestData.Gulou);
        list.Set(0, CredentialStatus.Revoked);
        list.Set(1, CredentialStatus.Suspended);
        list.Set(42, CredentialStatus.Revoked);
        list.Set(43, CredentialStatus.Suspended);
        list.Set(43, CredentialStatus.Valid); // reinstated
        list.Set(list.Capacity - 1, CredentialStatus.Suspended);
        var signed = list.Sign(_ring, TestData.Noon(2026, 11, 30), TestData.Noon(2026, 12, 7));

        var parsed = StatusList.Verify(signed, Trusted, out var error);

        Assert.Null(error);
        Assert.NotNull(parsed);
        Assert.Equal(StatusList.DefaultCapacity, parsed.Capacity);
        Assert.Equal(CredentialStatus.Revoked, parsed.Get(0));
        Assert.Equal(CredentialStatus.Suspended, parsed.Get(1));
        Assert.Equal(CredentialStatus.Valid, parsed.Get(2));
        Assert.Equal(CredentialStatus.Revoked, parsed.Get(42));
        Assert.Equal(CredentialStatus.Valid, parsed.Get(43));
        Assert.Equal(CredentialStatus.Suspended, parsed.Get(parsed.Capacity - 1));
        Assert.Equal(TestData.Noon(2026, 12, 7), parsed.ValidUntil);
        Assert.Equal(_ring.Current!.KeyId, parsed.KeyId);
    }

    [Fact]
    public void Sign_EmptyDefaultList_IsSmall()
    {
        var signed = new StatusList(TestData.Gulou).Sign(_ring, TestData.Noon(2026, 11, 30), TestData.Noon(2026, 12, 7));

        output.WriteLine($"{StatusList.DefaultCapacity} entries, signed list {signed.Length} chars");
        Assert.True(signed.Length < 1000);
    }

    [Fact]
    public void Get_EveryPositionInAByte_Independent()
    {
        var list = new StatusList(TestData.Gulou, capacity: 8);
        list.Set(4, CredentialStatus.Suspended);
        list.Set(5, CredentialStatus.Revoked);
        list.Set(7, CredentialStatus.Suspended);

        Assert.Equal(
            [CredentialStatus.Valid, CredentialStatus.Valid, CredentialStatus.Valid, CredentialStatus.Valid, CredentialStatus.Suspended, CredentialStatus.Revoked, CredentialStatus.Valid, CredentialStatus.Suspended],
            Enumerable.Range(0, 8).Select(list.Get));
    }

    [Fact]
    public void Verify_AlteredValidUntil_Rejected()
    {
        var signed = new StatusList(TestData.Gulou).Sign(_ring, TestData.Noon(2026, 11, 30), TestData.Noon(2026, 12, 7));
        var extended = WithPayloadField(signed, "validUntil", "2030-01-01T00:00:00+08:00");

        Assert.Null(StatusList.Verify(extended, Trusted, out var error));
        Assert.Contains("签名无效", error);
    }

    [Fact]
    public void Verify_SignedByUnknownKey_Rejected()
    {
        var signed = new StatusList(TestData.Gulou).Sign(TestData.Ring(), TestData.Noon(2026, 11, 30), TestData.Noon(2026, 12, 7));

        Assert.Null(StatusList.Verify(signed, Trusted, out var error));
        Assert.Contains("不在发证机关", error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("SJS1.e30.AAAA")]
    [InlineData("SJ1.abc.def")]
    public void Verify_Garbage_Rejected(string text)
    {
        Assert.Null(StatusList.Verify(text, Trusted, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Set_OutOfRange_Throws()
    {
        var list = new StatusList(TestData.Gulou, capacity: 8);

        Assert.Throws<ArgumentOutOfRangeException>(() => list.Set(8, CredentialStatus.Revoked));
    }

    internal static string PayloadField(string compact, string name)
    {
        var parts = compact.Split('.');
        return JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))![name]!.GetValue<string>();
    }

    /// <summary>Rewrites one field of the signed JSON payload and keeps the original signature.</summary>
    internal static string WithPayloadField(string compact, string name, string value)
    {
        var parts = compact.Split('.');
        var json = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!;
        json[name] = value;
        return $"{parts[0]}.{Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(json))}.{parts[2]}";
    }
}
