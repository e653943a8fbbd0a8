namespace Sojourn.Credentials;

/// <summary>What a checker supplies besides the credential.</summary>
public sealed record VerificationInput
{
    /// <summary>A synced, signed status list of the issuing authority (compact form), if any.</summary>
    public string? StatusList { get; init; }

    /// <summary>
    /// The credential's entry as the issuer's own database holds it (an online check); used instead of
    /// <see cref="StatusList"/>, so no signed list and no freshness warning are involved.
    /// </summary>
    public CredentialStatus? KnownStatus { get; init; }

    /// <summary>The holder's photo bytes, to compare with the digest in the credential.</summary>
    public ReadOnlyMemory<byte>? Photo { get; init; }

    /// <summary>The instant to check at; the verifier's clock when null.</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>
    /// An offline check that must know the revocation state: a credential that would otherwise be valid is
    /// not accepted without a <see cref="StatusList"/> (<see cref="VerificationReason.StatusListMissing"/>) or
    /// with one past its <c>validUntil</c> (<see cref="VerificationReason.StatusListExpired"/>). Negative
    /// verdicts (revoked in the list, expired, lapsed, wrong photo) are given either way. Off, a missing or
    /// stale list is only a warning (the caller has decided to accept that, and must say so). The CLI sets it
    /// unless told <c>--accept-stale-status</c>; the online check uses <see cref="KnownStatus"/> instead.
    /// </summary>
    public bool RequireCurrentStatus { get; init; }
}

/// <summary>
/// Offline verification of an e-permit credential against trusted issuer keys. Order: format, key,
/// signature, key retirement, status list, validity dates, endorsement, photo — the first failure
/// is the verdict. Dates are compared as calendar days in China Standard Time (UTC+8), the time of
/// the dates printed on the permit.
/// </summary>
public sealed class CredentialVerifier(TrustedIssuers issuers, TimeProvider time)
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public VerificationResult Verify(string credential, VerificationInput? input = null)
    {
        input ??= new VerificationInput();
        if (!CredentialCodec.TryParse(credential, out var parsed) || parsed is null)
        {
            return VerificationResult.Of(VerificationReason.Malformed);
        }

        var claims = parsed.Claims;
        var (ring, key) = issuers.Find(Convert.FromHexString(claims.KeyId));
        if (ring is null || key is null)
        {
            return VerificationResult.Of(VerificationReason.UnknownKey, detail: "密钥标识 " + claims.KeyId);
        }

        if (!Sm2.Verify(key.PublicKey, parsed.SigningInput, parsed.Signature))
        {
            return VerificationResult.Of(VerificationReason.BadSignature);
        }

        // A key vouches only for its own authority: a valid signature over another authority's
        // name and code is a forgery by a trusted-but-wrong issuer.
        if (ring.Authority.Code != claims.Authority.Code)
        {
            return VerificationResult.Of(VerificationReason.UnknownKey, detail: $"密钥属于 {ring.Authority.Code}，凭证记载 {claims.Authority.Code}");
        }

        if (!key.WasActiveAt(claims.IssuedAt))
        {
            return VerificationResult.Of(VerificationReason.KeyRetired, claims, detail: $"密钥 {key.KeyId} 停用于 {key.RetiredAt!.Value.ToOffset(ChinaStandardTime):yyyy-MM-dd HH:mm}");
        }

        var now = input.At ?? time.GetUtcNow();
        var warnings = new List<string>();
        StatusListFreshness? freshness = null;
        if (input.KnownStatus is { } known)
        {
            switch (known)
            {
                case CredentialStatus.Revoked:
                    return VerificationResult.Of(VerificationReason.Revoked, claims);
                case CredentialStatus.Suspended:
                    return VerificationResult.Of(VerificationReason.Suspended, claims);
                default:
                    break;
            }
        }
        else if (input.StatusList is { } listText)
        {
            var list = StatusList.Verify(listText, issuers, out var error);
            if (list is null)
            {
                return VerificationResult.Of(VerificationReason.StatusListInvalid, claims, detail: error);
            }

            if (list.Authority.Code != claims.Authority.Code)
            {
                return VerificationResult.Of(VerificationReason.StatusListInvalid, claims, detail: $"状态列表属于 {list.Authority.Code}，凭证由 {claims.Authority.Code} 签发。");
            }

            if (claims.StatusIndex >= list.Capacity)
            {
                return VerificationResult.Of(VerificationReason.StatusListInvalid, claims, detail: $"状态列表不含序号 {claims.StatusIndex}。");
            }

            freshness = new StatusListFreshness(list.IssuedAt, list.ValidUntil, now - list.IssuedAt, now > list.ValidUntil);
            if (freshness.Expired)
            {
                warnings.Add($"状态列表已过期：{freshness.Describe()}；撤销状态可能不是最新的，请同步。");
            }

            // A revocation is final, so even a stale list that shows one is believed.
            switch (list.Get(claims.StatusIndex))
            {
                case CredentialStatus.Revoked:
                    return VerificationResult.Of(VerificationReason.Revoked, claims) with { Warnings = warnings, StatusList = freshness };
                case CredentialStatus.Suspended:
                    return VerificationResult.Of(VerificationReason.Suspended, claims) with { Warnings = warnings, StatusList = freshness };
                default:
                    break;
            }
        }
        else
        {
            warnings.Add("未提供状态列表，未核验撤销状态。");
        }

        var today = DateOnly.FromDateTime(now.ToOffset(ChinaStandardTime).DateTime);
        VerificationResult? verdict = null;
        if (today < claims.ValidFrom)
        {
            verdict = VerificationResult.Of(VerificationReason.NotYetValid, claims, claims.ValidFrom);
        }
        else if (claims.Endorsement == EndorsementStatus.Suspended || today > claims.EffectiveUntil)
        {
            // Both dates are inputs; the earlier one decides which reason the holder is told.
            verdict = claims.Endorsement != EndorsementStatus.Suspended && claims.ValidUntil <= claims.NextEndorsementDeadline
                ? VerificationResult.Of(VerificationReason.PermitExpired, claims, claims.ValidUntil)
                : VerificationResult.Of(VerificationReason.EndorsementLapsed, claims, claims.NextEndorsementDeadline);
        }
        else if (input.Photo is { } photo && !Sm2.FixedTimeEquals(PhotoDigest.Compute(photo.Span), claims.PhotoDigest.Span))
        {
            verdict = VerificationResult.Of(VerificationReason.PhotoMismatch, claims);
        }

        if (verdict is null && input.RequireCurrentStatus && input.KnownStatus is null)
        {
            // The refusal says what the warning would have said.
            if (input.StatusList is null)
            {
                verdict = VerificationResult.Of(VerificationReason.StatusListMissing, claims);
                warnings.Clear();
            }
            else if (freshness is { Expired: true })
            {
                verdict = VerificationResult.Of(VerificationReason.StatusListExpired, claims, detail: freshness.Describe());
                warnings.Clear();
            }
        }

        return (verdict ?? VerificationResult.Of(VerificationReason.Valid, claims)) with { Warnings = warnings, StatusList = freshness };
    }
}
