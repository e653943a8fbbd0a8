using Sojourn.Data.Domain;

namespace Sojourn.Data.Permits;

/// <summary>
/// One residence permit (居住证), from the accepted application to its end. The row holds the current
/// state that queries, indexes and the one-permit constraint need; every step is also appended to
/// <see cref="PermitEvent"/> (history is never overwritten). A renewal, replacement or reissue is a new
/// row pointing at its predecessor, which becomes <see cref="PermitStatus.Superseded"/>.
/// The identity number is held only as SM4 ciphertext, keyed SM3 lookup hash and masked form.
/// A row is made only by its named creations (Permit.Creation.cs); its state then changes only through its steps
/// (Permit.Transitions.cs), each guarding its state and raising a domain event. EF Core sets the private setters.
/// </summary>
public sealed partial class Permit : AggregateRoot
{
    private Permit()
    {
    }

    public Guid Id { get; init; }

    /// <summary>Optimistic concurrency token (ETag), the number of the latest event.</summary>
    public int Version { get; private set; }

    /// <summary>One of <see cref="PermitKind"/>.</summary>
    public string Kind { get; init; } = PermitKind.FirstIssue;

    /// <summary>The permit this one renews, replaces or reissues.</summary>
    public Guid? PredecessorId { get; init; }

    /// <summary>One of <see cref="PermitStatus"/>.</summary>
    public string Status { get; private set; } = PermitStatus.Applied;

    /// <summary>居住证号, given on issue (e.g. JZ140105-2026-000001).</summary>
    public string? PermitNumber { get; private set; }

    public required string PersonName { get; init; }
    public string PersonIdCipher { get; private set; } = "";
    public required string PersonIdHmac { get; init; }
    public required string PersonIdMasked { get; init; }
    public required string Sex { get; init; }
    public required string EthnicGroup { get; init; }
    public DateOnly BirthDate { get; init; }

    /// <summary>Mobile number for reminders, SM4 ciphertext (null: in-app reminders only).</summary>
    public string? PhoneCipher { get; init; }

    /// <summary>The residence registration the permit rests on (evidence of residence).</summary>
    public Guid RegistrationId { get; private set; }

    public string ResidenceDivisionCode { get; private set; } = "";
    public string ResidenceAddress { get; private set; } = "";
    public string? Workplace { get; private set; }

    /// <summary>Police station of the residence that accepts, reviews and endorses (12-digit organ code).</summary>
    public string StationCode { get; private set; } = "";
    public string StationName { get; private set; } = "";

    /// <summary>Issuing public security organ (6-digit division code and printed name); scopes keys and status list.</summary>
    public required string AuthorityCode { get; init; }
    public required string AuthorityName { get; init; }

    /// <summary>偏远地区: the longer issuance period applies where the policy sets one.</summary>
    public bool RemoteArea { get; init; }

    /// <summary>The most specific policy in force where and when the application was accepted.</summary>
    public required string PolicyId { get; init; }

    /// <summary>self | guardian | close-relative (居住证暂行条例 第九条第三款).</summary>
    public string ApplicantRelation { get; init; } = "self";
    public string? ApplicantName { get; init; }

    /// <summary>Comma-separated ids of the materials handed in (the policy's material list).</summary>
    public string Materials { get; init; } = "";

    /// <summary>The eligibility facts as declared (policy-case "facts" JSON), kept for re-explaining the decision.</summary>
    public string FactsJson { get; init; } = "{}";

    public DateOnly AppliedOn { get; init; }

    /// <summary>Issuance deadline from the policy (longer for remote areas).</summary>
    public DateOnly IssueDue { get; init; }

    public DateOnly? DecidedOn { get; private set; }
    public DateOnly? IssuedOn { get; private set; }

    /// <summary>Null where the policy sets no validity.</summary>
    public DateOnly? ValidUntil { get; private set; }

    /// <summary>The anniversary the endorsement years count from (issue day; reset by a late endorsement where the policy says so).</summary>
    public DateOnly? EndorsementAnchor { get; private set; }

    /// <summary>Endorsements done since the anchor (the next one is for year EndorsementsDone + 1).</summary>
    public int EndorsementsDone { get; private set; }

    public DateOnly? EndorsementOpens { get; private set; }
    public DateOnly? EndorsementDue { get; private set; }

    /// <summary>Residence years count from this day (居住证暂行条例 第十条: from a late endorsement).</summary>
    public DateOnly? ResidenceCountsFrom { get; private set; }

    /// <summary>Departure notified and cancellation pending: the holder may return within the policy's exception period.</summary>
    public DateOnly? LeftOn { get; private set; }

    public string? RefusalReason { get; private set; }
    public string? RefusalBasis { get; private set; }

    /// <summary>Card fee charged for this permit (null: none set by the policy), with its article.</summary>
    public int? FeeYuan { get; private set; }
    public string? FeeBasis { get; private set; }

    /// <summary>Photo from the registration, as printed on the card and digested into the e-permit.</summary>
    public Guid? PhotoId { get; init; }

    /// <summary>Index of this permit in its authority's status list (given on first credential).</summary>
    public int? StatusIndex { get; private set; }

    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; private set; }

    /// <summary>Account that filed the application (an officer, a collector, or the migrant).</summary>
    public string CreatedBy { get; init; } = "";

    public bool IsCurrent => PermitStatus.Current.Contains(Status);
}

/// <summary>States of a permit row.</summary>
public static class PermitStatus
{
    /// <summary>Application accepted, under review; the issuance deadline runs.</summary>
    public const string Applied = "applied";

    public const string Refused = "refused";
    public const string Valid = "valid";

    /// <summary>Endorsement missed where the policy suspends (功能中止); a late endorsement restores it.</summary>
    public const string Suspended = "suspended";

    /// <summary>Endorsement missed where the policy voids the permit (废止).</summary>
    public const string Void = "void";

    /// <summary>注销: left, died, or settled household registration.</summary>
    public const string Cancelled = "cancelled";

    public const string Expired = "expired";

    /// <summary>Renewed, replaced or reissued: a successor row holds the permit now.</summary>
    public const string Superseded = "superseded";

    /// <summary>States that count for "one person, one permit" (an open application included).</summary>
    public static readonly IReadOnlyList<string> Current = [Applied, Valid, Suspended];

    /// <summary>Partial-index predicate of the one-permit constraint, the same SQL for both providers.</summary>
    public const string CurrentFilter = "\"Status\" IN ('applied', 'valid', 'suspended')";
}

/// <summary>How a permit row came to be.</summary>
public static class PermitKind
{
    public const string FirstIssue = "first-issue";

    /// <summary>到期换领: before expiry.</summary>
    public const string Renewal = "renewal";

    /// <summary>损坏换领: the old card is surrendered.</summary>
    public const string Replacement = "replacement";

    /// <summary>丢失补领.</summary>
    public const string Reissue = "reissue";

    /// <summary>A permit or 暂住证 issued under an earlier policy, recorded to keep its transitional validity.</summary>
    public const string Transitional = "transitional";
}
