using System.Buffers.Text;
using System.Formats.Cbor;
using System.Text;

namespace Sojourn.Credentials;

/// <summary>
/// The compact form <c>SJ1.&lt;base64url(CBOR claims)&gt;.&lt;base64url(SM2 r‖s)&gt;</c>. The claims
/// are a CBOR map with small integer keys (as in CWT, RFC 8392) so that the whole credential fits a
/// small QR code; the signature covers the ASCII bytes of <c>SJ1.&lt;payload&gt;</c>, as a JWS compact
/// serialization does, so nothing is re-encoded before verification. Keys of the map:
/// 1 masked name (text), 2 photo SM3 (bytes), 3 permit number (text), 4 valid from, 5 valid until,
/// 7 next endorsement deadline (days since 1970-01-01, RFC 8943 style), 6 endorsement status (uint),
/// 8 authority name (text), 9 authority division code (uint), 10 key id (8 bytes), 11 status-list
/// index (uint), 12 issued at (seconds since the Unix epoch).
/// </summary>
public static class CredentialCodec
{
    public const string Prefix = "SJ1.";

    private enum Claim
    {
        Name = 1,
        Photo = 2,
        Number = 3,
        ValidFrom = 4,
        ValidUntil = 5,
        Endorsement = 6,
        EndorseBy = 7,
        AuthorityName = 8,
        AuthorityCode = 9,
        KeyId = 10,
        StatusIndex = 11,
        IssuedAt = 12,
    }

    /// <summary>Signs the claims with the ring's current key and returns the compact credential.</summary>
    public static string Issue(PermitCredential claims, IssuerKeyRing ring)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(ring);
        var key = ring.Current ?? throw new InvalidOperationException("密钥环没有当前签名密钥。");
        if (key.PrivateKey is null)
        {
            throw new InvalidOperationException("当前密钥没有私钥，不能签发。");
        }

        if (claims.Authority.Code != ring.Authority.Code)
        {
            throw new InvalidOperationException($"凭证的发证机关 {claims.Authority.Code} 与密钥环 {ring.Authority.Code} 不一致。");
        }

        if (claims.PhotoDigest.Length != 32)
        {
            throw new ArgumentException("照片摘要应为32字节的SM3值。", nameof(claims));
        }

        var signingInput = Prefix + Base64Url.EncodeToString(Encode(claims with { KeyId = key.KeyId }));
        var signature = Sm2.Sign(key.PrivateKey, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>
    /// Splits and decodes a credential without checking its signature. Accepts the bare credential
    /// or a verification URL ending in <c>/v/&lt;credential&gt;</c>.
    /// </summary>
    public static bool TryParse(string? text, out ParsedCredential? parsed)
    {
        parsed = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var compact = text.Trim();
        var v = compact.LastIndexOf("/v/", StringComparison.Ordinal);
        if (v >= 0)
        {
            compact = compact[(v + 3)..];
        }

        if (!compact.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var dot = compact.LastIndexOf('.');
        if (dot <= Prefix.Length)
        {
            return false;
        }

        try
        {
            var payload = Base64Url.DecodeFromChars(compact.AsSpan(Prefix.Length, dot - Prefix.Length));
            var signature = Base64Url.DecodeFromChars(compact.AsSpan(dot + 1));
            var claims = Decode(payload);
            parsed = new ParsedCredential(claims, Encoding.ASCII.GetBytes(compact[..dot]), signature, compact);
            return true;
        }
        catch (Exception e) when (e is FormatException or CborContentException or InvalidOperationException or ArgumentException or OverflowException)
        {
            return false;
        }
    }

    internal static byte[] Encode(PermitCredential c)
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartMap(12);
        w.WriteInt32((int)Claim.Name);
        w.WriteTextString(c.MaskedName);
        w.WriteInt32((int)Claim.Photo);
        w.WriteByteString(c.PhotoDigest.Span);
        w.WriteInt32((int)Claim.Number);
        w.WriteTextString(c.PermitNumber);
        w.WriteInt32((int)Claim.ValidFrom);
        w.WriteInt32(c.ValidFrom.DayNumber - Epoch.DayNumber);
        w.WriteInt32((int)Claim.ValidUntil);
        w.WriteInt32(c.ValidUntil.DayNumber - Epoch.DayNumber);
        w.WriteInt32((int)Claim.Endorsement);
        w.WriteInt32((int)c.Endorsement);
        w.WriteInt32((int)Claim.EndorseBy);
        w.WriteInt32(c.NextEndorsementDeadline.DayNumber - Epoch.DayNumber);
        w.WriteInt32((int)Claim.AuthorityName);
        w.WriteTextString(c.Authority.Name);
        w.WriteInt32((int)Claim.AuthorityCode);
        w.WriteInt32(int.Parse(c.Authority.Code, System.Globalization.CultureInfo.InvariantCulture));
        w.WriteInt32((int)Claim.KeyId);
        w.WriteByteString(Convert.FromHexString(c.KeyId));
        w.WriteInt32((int)Claim.StatusIndex);
        w.WriteInt32(c.StatusIndex);
        w.WriteInt32((int)Claim.IssuedAt);
        w.WriteInt64(c.IssuedAt.ToUnixTimeSeconds());
        w.WriteEndMap();
        return w.Encode();
    }

    internal static PermitCredential Decode(byte[] payload)
    {
        var r = new CborReader(payload, CborConformanceMode.Canonical);
        var count = r.ReadStartMap() ?? throw new FormatException("indefinite map");
        var seen = new Dictionary<Claim, object>();
        for (var i = 0; i < count; i++)
        {
            var key = (Claim)r.ReadInt32();
            object value = key switch
            {
                Claim.Name or Claim.Number or Claim.AuthorityName => r.ReadTextString(),
                Claim.Photo or Claim.KeyId => r.ReadByteString(),
                Claim.IssuedAt => r.ReadInt64(),
                Claim.ValidFrom or Claim.ValidUntil or Claim.EndorseBy or Claim.Endorsement or Claim.AuthorityCode or Claim.StatusIndex => r.ReadInt32(),
                _ => throw new FormatException($"unknown claim {(int)key}"),
            };
            seen.Add(key, value);
        }

        r.ReadEndMap();
        if (r.BytesRemaining != 0 || seen.Count != 12)
        {
            throw new FormatException("claims incomplete or trailing bytes");
        }

        var endorsement = (EndorsementStatus)(int)seen[Claim.Endorsement];
        if (!Enum.IsDefined(endorsement))
        {
            throw new FormatException("unknown endorsement status");
        }

        var photo = (byte[])seen[Claim.Photo];
        var kid = (byte[])seen[Claim.KeyId];
        if (photo.Length != 32 || kid.Length != Sm2.KeyIdLength)
        {
            throw new FormatException("digest or key id length");
        }

        return new PermitCredential
        {
            MaskedName = (string)seen[Claim.Name],
            PhotoDigest = photo,
            PermitNumber = (string)seen[Claim.Number],
            ValidFrom = Day(seen[Claim.ValidFrom]),
            ValidUntil = Day(seen[Claim.ValidUntil]),
            Endorsement = endorsement,
            NextEndorsementDeadline = Day(seen[Claim.EndorseBy]),
            Authority = new IssuingAuthority(((int)seen[Claim.AuthorityCode]).ToString("D6", System.Globalization.CultureInfo.InvariantCulture), (string)seen[Claim.AuthorityName]),
            KeyId = Convert.ToHexStringLower(kid),
            StatusIndex = (int)seen[Claim.StatusIndex],
            IssuedAt = DateTimeOffset.FromUnixTimeSeconds((long)seen[Claim.IssuedAt]),
        };
    }

    private static readonly DateOnly Epoch = new(1970, 1, 1);

    private static DateOnly Day(object days) => DateOnly.FromDayNumber(Epoch.DayNumber + (int)days);
}

/// <summary>A credential split into its claims, the signed bytes and the signature.</summary>
public sealed record ParsedCredential(PermitCredential Claims, byte[] SigningInput, byte[] Signature, string Compact);
