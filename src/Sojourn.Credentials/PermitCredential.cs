namespace Sojourn.Credentials;

/// <summary>Endorsement state carried in the credential (居住证暂行条例 第十条).</summary>
public enum EndorsementStatus
{
    /// <summary>未到签注期：the first anniversary has not come yet.</summary>
    NotDue = 0,

    /// <summary>已签注：endorsed for the current year of residence.</summary>
    Endorsed = 1,

    /// <summary>逾期未签注，功能中止 (art. 10): the permit's use is suspended until a late endorsement.</summary>
    Suspended = 2,
}

/// <summary>
/// What a checker needs to know about a residence permit, and nothing more (第十七条: personal
/// information is kept confidential): masked name, photo digest, number, validity, endorsement.
/// All dates are the last or first valid calendar day in China Standard Time and are INPUTS from
/// the rules engine; the credential itself computes nothing from the law.
/// </summary>
public sealed record PermitCredential
{
    /// <summary>Masked name as shown to a checker, e.g. 张*明 (see <see cref="NameMask"/>).</summary>
    public required string MaskedName { get; init; }

    /// <summary>SM3 of the photo bytes (32 bytes); see <see cref="PhotoDigest"/>.</summary>
    public required ReadOnlyMemory<byte> PhotoDigest { get; init; }

    public required string PermitNumber { get; init; }

    /// <summary>First day the permit is valid.</summary>
    public required DateOnly ValidFrom { get; init; }

    /// <summary>Last day the permit is valid (permit expiry).</summary>
    public required DateOnly ValidUntil { get; init; }

    public required EndorsementStatus Endorsement { get; init; }

    /// <summary>Last day on which the next annual endorsement keeps the permit in use.</summary>
    public required DateOnly NextEndorsementDeadline { get; init; }

    public required IssuingAuthority Authority { get; init; }

    /// <summary>Hex key id of the signing key (set by the issuer).</summary>
    public string KeyId { get; init; } = "";

    /// <summary>Index of this credential in its authority's status list.</summary>
    public required int StatusIndex { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>The credential lapses after min(next endorsement deadline, permit expiry).</summary>
    public DateOnly EffectiveUntil => NextEndorsementDeadline < ValidUntil ? NextEndorsementDeadline : ValidUntil;
}
