namespace Sojourn.Rules.Evaluation;

/// <summary>Status of a duty on <c>asOf</c>.</summary>
public enum DutyStatus
{
    /// <summary>Done by the due time.</summary>
    Met,

    /// <summary>Done after it.</summary>
    Late,

    /// <summary>Not done and past due.</summary>
    Overdue,

    /// <summary>Not done, not yet due.</summary>
    Open,
}

/// <summary>One duty's outcome (a struct so the deadline pass allocates nothing).</summary>
public readonly record struct DutyOutcome(CompiledDuty Duty, Moment Due, DutyStatus Status, Moment? Done, DateOnly? Opens);

/// <summary>The contract's result for one case.</summary>
public sealed class EvaluationResult
{
    /// <summary>Policies used, most specific first.</summary>
    public required IReadOnlyList<string> Policies { get; init; }

    /// <summary>Whether the person is a floating person.</summary>
    public required FloatingResult Floating { get; init; }

    /// <summary>Duties that apply.</summary>
    public required IReadOnlyList<DutyOutcome> Duties { get; init; }

    /// <summary>Permit answer (null when not floating).</summary>
    public PermitResult? Permit { get; init; }

    /// <summary>Sanctions for missed duties.</summary>
    public required IReadOnlyList<PenaltyResult> Penalties { get; init; }

    /// <summary>Rights, services and conveniences claimable on asOf.</summary>
    public required IReadOnlyList<EntitlementResult> Entitlements { get; init; }

    /// <summary>Content hash per policy.</summary>
    public required IReadOnlyDictionary<string, string> PolicyHashes { get; init; }
}

/// <summary>Floating status.</summary>
public sealed record FloatingResult(bool Value, string? Basis, string? Reason);

/// <summary>Permit eligibility and validity.</summary>
public sealed record PermitResult(bool Eligible, DateOnly? Earliest, IReadOnlyList<string> Unmet, string? Basis, DateOnly? ValidUntil);

/// <summary>A sanction for a late or overdue duty.</summary>
public sealed record PenaltyResult(string Party, string Duty, bool OrderToCorrect, bool Warning, Loading.FineRange? Fine,
    Loading.FineRange? SeriousFine, bool FineOnlyIfUncorrected, string Basis);

/// <summary>A claimable entitlement.</summary>
public sealed record EntitlementResult(string Id, string Basis);
