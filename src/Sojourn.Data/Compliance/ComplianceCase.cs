namespace Sojourn.Data.Compliance;

/// <summary>Where a case stands: opened by the sweep, waiting on an order's time limit, to be decided, closed.</summary>
public static class CaseState
{
    public const string New = "new";
    public const string Waiting = "waiting";
    public const string ToDecide = "to-decide";
    public const string Closed = "closed";

    public static readonly IReadOnlyList<string> All = [New, Waiting, ToDecide, Closed];
}

/// <summary>How a case ended.</summary>
public static class CaseOutcome
{
    public const string Warning = "warning";
    public const string Fine = "fine";
    public const string Dismissed = "dismissed";

    /// <summary>The party did what the order required within its time limit (no fine where the law fines only an ignored order).</summary>
    public const string Corrected = "corrected";

    /// <summary>The decisions an officer may record.</summary>
    public static readonly IReadOnlyList<string> Decisions = [Warning, Fine, Dismissed];
}

/// <summary>Why an event was appended to a case's history.</summary>
public static class CaseEventKind
{
    public const string Opened = "opened";
    public const string Ordered = "ordered";
    public const string Corrected = "corrected";
    public const string Escalated = "escalated";
    public const string Decided = "decided";
}

/// <summary>
/// One compliance case: a duty instance (a stay's registration, a permit's endorsement, later a report) that the
/// sweep found overdue or met late, with the evaluation that opened it (engine stamp, the duty's basis) and the
/// sanction the policy allowed then, copied so the case explains itself after the policy changes. The person is named
/// by the registration and the lookup hash, never copied. Each step appends a <see cref="ComplianceCaseEvent"/>.
/// </summary>
public sealed class ComplianceCase
{
    public long Id { get; set; }

    /// <summary>Unique per duty instance (<c>registration:{id}:person.register-residence</c>): the sweep never opens one twice.</summary>
    public required string DutyKey { get; set; }

    public required string Source { get; set; }
    public Guid SubjectId { get; set; }
    public Guid? RegistrationId { get; set; }
    public required string PersonIdHmac { get; set; }
    public required string ResidenceDivisionCode { get; set; }
    public string? StationCode { get; set; }

    public required string Duty { get; set; }
    public required string Party { get; set; }
    public string? DutyBasis { get; set; }
    public DateOnly Due { get; set; }
    public DateOnly? DoneOn { get; set; }

    /// <summary>late or overdue, when the case was opened.</summary>
    public required string DutyStatus { get; set; }

    public bool OrderToCorrect { get; set; }
    public bool Warning { get; set; }
    public int? FineMin { get; set; }
    public int? FineMax { get; set; }
    public int? SeriousFineMin { get; set; }
    public int? SeriousFineMax { get; set; }
    public bool FineOnlyIfUncorrected { get; set; }

    /// <summary>The sanction's article; null where the policy sanctions the duty not at all.</summary>
    public string? SanctionBasis { get; set; }

    /// <summary>The policy's time limit of the order in days, where it names one; null when silent (the officer sets it).</summary>
    public int? OrderLimitDays { get; set; }

    public string? OrderLimitBasis { get; set; }
    public string? Policies { get; set; }

    /// <summary>Engine stamp of the evaluation that opened the case (JSON: version, policyHashes).</summary>
    public required string Engine { get; set; }

    public string State { get; set; } = CaseState.New;
    public DateOnly? OrderedOn { get; set; }
    public DateOnly? CorrectBy { get; set; }
    public string? Outcome { get; set; }
    public int? FineYuan { get; set; }
    public bool Serious { get; set; }
    public string? Reason { get; set; }
    public DateOnly? DecidedOn { get; set; }
    public string? DecidedBy { get; set; }
    public DateOnly OpenedOn { get; set; }
    public DateTime OpenedAt { get; set; }
    public required string OpenedBy { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Number of the latest event; the optimistic concurrency token.</summary>
    public int Version { get; set; }

    public ComplianceCaseEvent IssueOrder(DateOnly today, DateOnly correctBy, string actor, DateTime now)
    {
        State = CaseState.Waiting;
        OrderedOn = today;
        CorrectBy = correctBy;
        return Append(CaseEventKind.Ordered, today, actor, now, SanctionBasis, $"{{\"correctBy\":\"{correctBy:yyyy-MM-dd}\"}}");
    }

    public ComplianceCaseEvent Decide(
        string outcome, int? fineYuan, bool serious, string? reason, string? basis, DateOnly today, string actor, DateTime now)
    {
        State = CaseState.Closed;
        Outcome = outcome;
        FineYuan = fineYuan;
        Serious = serious;
        Reason = reason;
        DecidedOn = today;
        DecidedBy = actor;
        return Append(CaseEventKind.Decided, today, actor, now, basis, null);
    }

    private ComplianceCaseEvent Append(string kind, DateOnly on, string actor, DateTime now, string? basis, string? details)
    {
        Version++;
        UpdatedAt = now;
        return new ComplianceCaseEvent
        {
            CaseId = Id,
            Number = Version,
            Kind = kind,
            On = on,
            At = now,
            Actor = actor,
            State = State,
            Basis = basis,
            Details = details,
        };
    }
}

/// <summary>One appended step of a case (history is never overwritten).</summary>
public sealed class ComplianceCaseEvent
{
    public long Id { get; init; }
    public long CaseId { get; init; }
    public int Number { get; init; }
    public required string Kind { get; init; }
    public DateOnly On { get; init; }
    public DateTime At { get; init; }
    public required string Actor { get; init; }

    /// <summary>The case's state after the step.</summary>
    public required string State { get; init; }

    public string? Basis { get; init; }

    /// <summary>What the step recorded (JSON): the order's limit, the decision.</summary>
    public string? Details { get; init; }
}
