namespace Sojourn.Data.Permits;

/// <summary>
/// One step in a permit's life, appended and never changed. A decision (eligibility, deadline, refusal,
/// suspension, fee) keeps its legal basis and the engine stamp of the evaluation it rests on (engine
/// version and policy hashes), so it can be explained after the rules change.
/// </summary>
public sealed class PermitEvent
{
    public Guid Id { get; set; }
    public Guid PermitId { get; set; }

    /// <summary>1, 2, 3 … per permit; equals the permit's Version after the step.</summary>
    public int Number { get; set; }

    /// <summary>One of <see cref="PermitEventKind"/>.</summary>
    public required string Kind { get; set; }

    public required string StatusAfter { get; set; }

    /// <summary>The legal day of the step (application, issue, endorsement, departure, death …).</summary>
    public DateOnly EffectiveOn { get; set; }

    public DateTime At { get; set; }
    public required string Actor { get; set; }
    public required string ActorRole { get; set; }
    public string? Office { get; set; }

    public string? Reason { get; set; }

    /// <summary>Citations, comma-separated, in the contract form (<c>shanxi-2017#18</c>).</summary>
    public string? Basis { get; set; }

    /// <summary>Engine stamp JSON: {"version": "1.0.0", "policyHashes": {...}}.</summary>
    public string? Engine { get; set; }

    /// <summary>The decision's inputs and outputs as JSON (eligibility result, due dates, fee, old values).</summary>
    public string? Details { get; set; }

    /// <summary>Residence division at the time (partitioning, jurisdiction of history reads).</summary>
    public required string ResidenceDivisionCode { get; set; }
}

public static class PermitEventKind
{
    public const string Applied = "applied";
    public const string Issued = "issued";
    public const string Refused = "refused";
    public const string Endorsed = "endorsed";
    public const string EndorsementMissed = "endorsement-missed";
    public const string Restored = "restored";
    public const string Changed = "changed";
    public const string DepartureNotified = "departure-notified";
    public const string Returned = "returned";
    public const string Cancelled = "cancelled";
    public const string Expired = "expired";
    public const string Superseded = "superseded";
    public const string CredentialIssued = "credential-issued";
    public const string Recorded = "recorded";

    /// <summary>A renewal applied for on the old row.</summary>
    public const string RenewalApplied = "renewal-applied";
}
