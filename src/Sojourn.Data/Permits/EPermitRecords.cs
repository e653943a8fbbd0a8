namespace Sojourn.Data.Permits;

/// <summary>An issuing authority's SM2 key ring; the JSON (with private keys) is SM4-encrypted at rest.</summary>
public sealed class IssuerKeyRecord
{
    public required string AuthorityCode { get; set; }
    public required string AuthorityName { get; set; }

    /// <summary><see cref="Security.IdentityProtector"/> ciphertext of IssuerKeyRing.ToJson().</summary>
    public required string RingCipher { get; set; }

    /// <summary>IssuerKeyRing.ToPublicJson(), served to offline checkers.</summary>
    public required string PublicRingJson { get; set; }

    public DateTime UpdatedAt { get; set; }
    public int Version { get; set; }
}

/// <summary>An authority's status list (2 bits per credential index) and its latest signed form.</summary>
public sealed class StatusListRecord
{
    public required string AuthorityCode { get; set; }
    public int Capacity { get; set; }

    /// <summary>Next unassigned index; indexes are never reused.</summary>
    public int NextIndex { get; set; }

    public required byte[] Bits { get; set; }

    /// <summary>The latest signed compact list (SJS1.…), refreshed on every status change.</summary>
    public string? SignedList { get; set; }

    public DateTime? SignedAt { get; set; }
    public int Version { get; set; }
}

/// <summary>An e-permit credential as issued (SJ1.… compact form); superseded on endorsement and every change.</summary>
public sealed class IssuedCredential
{
    public Guid Id { get; set; }
    public Guid PermitId { get; set; }
    public required string AuthorityCode { get; set; }
    public int StatusIndex { get; set; }
    public required string KeyId { get; set; }
    public required string Compact { get; set; }
    public DateTime IssuedAt { get; set; }
    public DateOnly EffectiveUntil { get; set; }

    /// <summary>active | superseded | revoked | suspended.</summary>
    public string Status { get; set; } = "active";

    public required string ResidenceDivisionCode { get; set; }
}

/// <summary>One online verification: who checked, when, for what purpose, with what outcome.</summary>
public sealed class CredentialCheck
{
    public Guid Id { get; set; }
    public DateTime At { get; set; }

    /// <summary>api | page | cli.</summary>
    public required string Channel { get; set; }

    public string? AccountId { get; set; }
    public string? Role { get; set; }
    public string? Office { get; set; }
    public string? Purpose { get; set; }
    public string? Ip { get; set; }
    public Guid? PermitId { get; set; }
    public string? PermitNumber { get; set; }
    public string? AuthorityCode { get; set; }

    /// <summary>valid, or the verifier's stable reason code.</summary>
    public required string Outcome { get; set; }
}

/// <summary>An in-app reminder to a permit holder (before an endorsement window closes, before expiry).</summary>
public sealed class PermitReminder
{
    public Guid Id { get; set; }
    public Guid PermitId { get; set; }
    public required string PersonIdHmac { get; set; }

    /// <summary>endorsement | expiry.</summary>
    public required string Kind { get; set; }

    /// <summary>The deadline reminded of; with PermitId and Kind it makes the reminder job idempotent.</summary>
    public DateOnly DueOn { get; set; }

    public required string Message { get; set; }
    public string? Basis { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ReadAt { get; set; }
    public required string ResidenceDivisionCode { get; set; }
}

/// <summary>An SMS waiting for the gateway; the number is SM4 ciphertext, decrypted only by the sender.</summary>
public sealed class SmsOutboxMessage
{
    public Guid Id { get; set; }
    public Guid ReminderId { get; set; }
    public required string PhoneCipher { get; set; }
    public required string Text { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? SentAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}
