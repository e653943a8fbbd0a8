using Sojourn.Data.Domain;

namespace Sojourn.Data.Permits;

/// <summary>
/// What a step records in the permit's history: when it was taken, its legal day, the articles it rests on, the engine stamp of the
/// terms it applied (JSON), its inputs and outputs (serialised by the history handler) and the reason given.
/// </summary>
public sealed record PermitStep(DateTime At, DateOnly EffectiveOn, string? Basis, string? Engine = null, object? Details = null, string? Reason = null);

/// <summary>
/// A step in a permit's life, raised by the <see cref="Permit"/> method that took it. <see cref="Number"/> is the
/// permit's version after the step and <see cref="StatusAfter"/> its status then; <see cref="Kind"/> the history kind.
/// </summary>
public abstract record PermitDomainEvent(Permit Permit, PermitStep Step, int Number, string StatusAfter) : IDomainEvent
{
    /// <summary>One of <see cref="PermitEventKind"/> (or a step's own kind, e.g. renewal-applied).</summary>
    public abstract string Kind { get; }

    /// <summary>The permit no longer stands (cancelled, void, expired, superseded, refused): its credential must not stay valid.</summary>
    public bool Ends => StatusAfter is PermitStatus.Cancelled or PermitStatus.Void or PermitStatus.Expired or PermitStatus.Superseded or PermitStatus.Refused;
}

internal sealed record PermitApplied(Permit Permit, PermitStep Step, int Number, string StatusAfter) : PermitDomainEvent(Permit, Step, Number, StatusAfter)
{
    public override string Kind => PermitEventKind.Applied;
}

/// <summary>Issued: a first issue approved, or a successor (renewal, replacement, reissue) taking over.</summary>
internal sealed record PermitIssued(Permit Permit, PermitStep Step, int Number, string StatusAfter) : PermitDomainEvent(Permit, Step, Number, StatusAfter)
{
    public override string Kind => PermitEventKind.Issued;
}

internal sealed record PermitRefused(Permit Permit, PermitStep Step, int Number, string StatusAfter) : PermitDomainEvent(Permit, Step, Number, StatusAfter)
{
    public override string Kind => PermitEventKind.Refused;
}

internal sealed record PermitEndorsed(Permit Permit, PermitStep Step, int Number, string StatusAfter) : PermitDomainEvent(Permit, Step, Number, StatusAfter)
{
    public override string Kind => PermitEventKind.Endorsed;
}

/// <summary>Endorsement missed: suspended (功能中止) or void (废止), as <see cref="PermitDomainEvent.StatusAfter"/> says.</summary>
internal sealed record PermitEndorsementMissed(Permit Permit, PermitStep Step, int Number, string StatusAfter) : PermitDomainEvent(Permit, Step, Number, StatusAfter)
{
    public override string Kind => PermitEventKind.EndorsementMissed;
}

/// <summary>A suspended permit restored by a late endorsement.</summary>
internal sealed record PermitRestored(Permit Permit, PermitStep Step, int Number, string StatusAfter) : PermitDomainEvent(Permit, Step, Number, StatusAfter)
{
    public override string Kind => PermitEventKind.Restored;
}

internal sealed record PermitChanged(Permit Permit, PermitStep Step, int Number, string StatusAfter) : PermitDomainEvent(Permit, Step, Number, StatusAfter)
{
    public override string Kind => PermitEventKind.Changed;
}

internal sealed record PermitDeparted(Permit Permit, PermitStep Step, int Number, string StatusAfter) : PermitDomainEvent(Permit, Step, Number, StatusAfter)
{
    public override string Kind => PermitEventKind.DepartureNotified;
}

internal sealed record PermitReturned(Permit Permit, PermitStep Step, int Number, string StatusAfter) : PermitDomainEvent(Permit, Step, Number, StatusAfter)
{
    public override string Kind => PermitEventKind.Returned;
}

internal sealed record PermitCancelled(Permit Permit, PermitStep Step, int Number, string StatusAfter) : PermitDomainEvent(Permit, Step, Number, StatusAfter)
{
    public override string Kind => PermitEventKind.Cancelled;
}

internal sealed record PermitExpired(Permit Permit, PermitStep Step, int Number, string StatusAfter) : PermitDomainEvent(Permit, Step, Number, StatusAfter)
{
    public override string Kind => PermitEventKind.Expired;
}

/// <summary>Renewed, replaced or reissued: the successor row holds the permit now.</summary>
internal sealed record PermitSuperseded(Permit Permit, PermitStep Step, int Number, string StatusAfter) : PermitDomainEvent(Permit, Step, Number, StatusAfter)
{
    public override string Kind => PermitEventKind.Superseded;
}

/// <summary>A renewal applied for on the old row (it stays valid until the successor is issued).</summary>
internal sealed record PermitRenewalApplied(Permit Permit, PermitStep Step, int Number, string StatusAfter) : PermitDomainEvent(Permit, Step, Number, StatusAfter)
{
    public override string Kind => PermitEventKind.RenewalApplied;
}

/// <summary>A permit issued under an earlier policy, recorded to keep its transitional validity.</summary>
internal sealed record PermitRecorded(Permit Permit, PermitStep Step, int Number, string StatusAfter) : PermitDomainEvent(Permit, Step, Number, StatusAfter)
{
    public override string Kind => PermitEventKind.Recorded;
}
