namespace Sojourn.Rules.Permits;

/// <summary>
/// The facts of a permit a legal decision reads (the row's state, without the person): its status as the contract
/// names it (applied, valid, suspended, void, cancelled, expired, refused, superseded), the dates that count, and
/// the residence division whose calendar and policy apply.
/// </summary>
public sealed record PermitFacts
{
    public required string Status { get; init; }
    public required string ResidenceDivision { get; init; }
    public string Kind { get; init; } = "first-issue";
    public DateOnly? IssueDue { get; init; }
    public DateOnly? IssuedOn { get; init; }
    public DateOnly? ValidUntil { get; init; }
    public DateOnly? EndorsementAnchor { get; init; }
    public int EndorsementsDone { get; init; }
    public DateOnly? EndorsementOpens { get; init; }
    public DateOnly? EndorsementDue { get; init; }
    public DateOnly? LeftOn { get; init; }
}

/// <summary>Issue (制作发放): validity, the first endorsement window, the fee, whether the issuance deadline was met, with the articles.</summary>
public sealed record IssueDecision(
    DateOnly IssuedOn, DateOnly? ValidUntil, DateOnly? EndorsementOpens, DateOnly? EndorsementDue,
    int? FeeYuan, string? FeeBasis, bool FeeSet, bool DeadlineMet, string Basis);

/// <summary>What an endorsement request comes to: <c>endorsed</c>, <c>restored</c>, or why not.</summary>
public enum EndorseOutcome
{
    Endorsed,
    Restored,
    OutsideWindow,
    NoEndorsementDue,
    VoidReapply,
    WrongStatus,
}

/// <summary>An endorsement: the outcome, the window it was asked in, the next window, whether residence years count anew, the articles.</summary>
public sealed record EndorseDecision(
    EndorseOutcome Outcome, DateOnly? WindowOpens, DateOnly? WindowDue, DateOnly? NextOpens, DateOnly? NextDue,
    bool ResidenceCountsAnew, string Basis);

/// <summary>A lapse the daily sweep applies: the new status (suspended or void), the legal day, the article.</summary>
public sealed record LapseDecision(string StatusAfter, DateOnly EffectiveOn, string Basis, string? Note);

/// <summary>A departure: whether cancellation waits for the return exception, the last day to return, the articles.</summary>
public sealed record DepartureDecision(bool CancellationPending, DateOnly? ReturnBy, string Basis);

/// <summary>A renewal application: its window (open from … to the last day of validity), the deadline, lateness, the articles.</summary>
public sealed record RenewalDecision(bool Open, DateOnly Opens, DateOnly ValidUntil, DateOnly? Deadline, bool Late, string Basis);

/// <summary>
/// The legal decisions of a permit's life as pure functions of the terms in force and the permit's facts: which
/// step is open, what deadline runs, what effect a missed one has. No database, no clock: the caller passes the day.
/// The aggregate (Sojourn.Data Permit) applies what they decide; permit-decisions.tests.yaml tests them case by case.
/// </summary>
public static class PermitDecisions
{
    /// <summary>The states each step starts from.</summary>
    private static readonly Dictionary<string, string[]> OpenFrom = new(StringComparer.Ordinal)
    {
        ["approve"] = ["applied"],
        ["refuse"] = ["applied"],
        ["endorse"] = ["valid", "suspended"],
        ["change"] = ["valid", "suspended"],
        ["departure"] = ["valid", "suspended"],
        ["return"] = ["valid", "suspended"],
        ["cancel"] = ["valid", "suspended"],
        ["renew"] = ["valid"],
        ["renew-issue"] = ["valid", "expired"],
        ["replace"] = ["valid", "suspended"],
        ["reissue"] = ["valid", "suspended"],
    };

    /// <summary>Whether <paramref name="step"/> may be taken on a permit in <paramref name="status"/>.</summary>
    public static bool StepOpen(string step, string status) =>
        OpenFrom.TryGetValue(step, out var from) && from.Contains(status, StringComparer.Ordinal);

    /// <summary>Citations joined in the contract form, without empties or repeats.</summary>
    public static string Bases(params string?[] citations) =>
        string.Join(',', citations.Where(c => !string.IsNullOrEmpty(c)).SelectMany(c => c!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal));

    /// <summary>
    /// The endorsement window for the <paramref name="year"/>-th anniversary of <paramref name="anchor"/>, or none
    /// when that anniversary falls on or after the last day of validity (the permit is renewed, not endorsed).
    /// </summary>
    public static (DateOnly? Opens, DateOnly? Due) Window(PermitLifecycle lifecycle, PermitTerms terms, DateOnly? validUntil, DateOnly anchor, int year)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        var (opens, due) = lifecycle.Endorsement(terms, anchor, year);
        return validUntil is { } until && due >= until ? (null, null) : (opens, due);
    }

    /// <summary>Issue on <paramref name="today"/> (居住证暂行条例 第十一条 issuance period; validity and fee per the policy).</summary>
    public static IssueDecision Issue(PermitLifecycle lifecycle, PermitTerms terms, PermitFacts permit, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(permit);
        var validUntil = lifecycle.ValidUntil(terms, today);
        var (opens, due) = Window(lifecycle, terms, validUntil, today, 1);
        var feeKey = permit.Kind == "transitional" ? "first-issue" : permit.Kind;
        terms.Fees.TryGetValue(feeKey, out var fee);
        return new IssueDecision(today, validUntil, opens, due, fee?.Value, fee?.Basis, fee is not null,
            permit.IssueDue is not { } issueDue || today <= issueDue,
            Bases(terms.IssueWithin.Basis, terms.Validity?.Basis, terms.EndorseEvery.Basis, fee?.Basis));
    }

    /// <summary>
    /// An endorsement asked on <paramref name="today"/>: within the window it endorses the year; a suspended permit is
    /// restored by a late endorsement (the years counting anew where the policy says so); a void one must be applied for again.
    /// </summary>
    public static EndorseDecision Endorse(PermitLifecycle lifecycle, PermitTerms terms, PermitFacts permit, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(permit);
        var fee = terms.Fees.GetValueOrDefault("endorsement");
        switch (permit.Status)
        {
            case "void":
                return new EndorseDecision(EndorseOutcome.VoidReapply, null, null, null, null, false, terms.MissedEndorsement.Basis);
            case "valid":
                if (permit.EndorsementOpens is not { } opens || permit.EndorsementDue is not { } due)
                {
                    return new EndorseDecision(EndorseOutcome.NoEndorsementDue, null, null, null, null, false, terms.EndorseEvery.Basis);
                }

                if (today < opens || today > due)
                {
                    return new EndorseDecision(EndorseOutcome.OutsideWindow, opens, due, null, null, false, terms.EndorseWindow.Basis);
                }

                var anchor = permit.EndorsementAnchor ?? permit.IssuedOn ?? today;
                var next = Window(lifecycle, terms, permit.ValidUntil, anchor, permit.EndorsementsDone + 2);
                return new EndorseDecision(EndorseOutcome.Endorsed, opens, due, next.Opens, next.Due, false, Bases(terms.EndorseEvery.Basis, fee?.Basis));
            case "suspended":
                var anew = terms.LateEndorsement.Value == LateEndorsementYears.FromLateEndorsement;
                var restart = Window(lifecycle, terms, permit.ValidUntil, today, 1);
                return new EndorseDecision(EndorseOutcome.Restored, permit.EndorsementOpens, permit.EndorsementDue, restart.Opens, restart.Due, anew,
                    Bases(terms.LateEndorsement.Basis, fee?.Basis));
            default:
                return new EndorseDecision(EndorseOutcome.WrongStatus, null, null, null, null, false, terms.PolicyId);
        }
    }

    /// <summary>
    /// The daily sweep's lapse on <paramref name="today"/>: a valid permit whose endorsement fell due before today becomes
    /// suspended or void as the terms in force on its due day say (<paramref name="termsOnDue"/>); null when nothing lapses.
    /// </summary>
    public static LapseDecision? MissedEndorsement(PermitTerms termsOnDue, PermitFacts permit, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(termsOnDue);
        ArgumentNullException.ThrowIfNull(permit);
        if (permit.Status != "valid" || permit.EndorsementDue is not { } due || due >= today)
        {
            return null;
        }

        var missed = termsOnDue.MissedEndorsement;
        return new LapseDecision(missed.Value == LapseEffect.Void ? "void" : "suspended", due.AddDays(1), missed.Basis, missed.Note);
    }

    /// <summary>Expiry: a valid or suspended permit past its last day of validity; the day after is the legal day. Null when not expired.</summary>
    public static LapseDecision? Expiry(PermitTerms? termsOnLastDay, PermitFacts permit, DateOnly today, string policyId)
    {
        ArgumentNullException.ThrowIfNull(permit);
        if (permit.Status is not ("valid" or "suspended") || permit.ValidUntil is not { } until || until >= today)
        {
            return null;
        }

        var basis = permit.Kind == "transitional" ? termsOnLastDay?.EarlierPermitsStayValid.Basis : termsOnLastDay?.Validity?.Basis;
        return new LapseDecision("expired", until.AddDays(1), basis ?? policyId, null);
    }

    /// <summary>
    /// A departure on <paramref name="leftOn"/>, notified on <paramref name="today"/>: cancellation waits while the policy's
    /// return exception runs; without one (or once it ran out) the departure is the cancellation.
    /// </summary>
    public static DepartureDecision Departure(PermitLifecycle lifecycle, PermitTerms terms, string residenceDivision, DateOnly leftOn, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        ArgumentNullException.ThrowIfNull(terms);
        DateOnly? returnBy = terms.ReturnException is { } exception ? lifecycle.Due(exception, residenceDivision, leftOn) : null;
        var basis = Bases(terms.CancelBeforeLeaving?.Basis, terms.ReturnException?.Basis);
        return new DepartureDecision(returnBy is { } by && today <= by, returnBy, basis.Length == 0 ? terms.PolicyId : basis);
    }

    /// <summary>The last day to return after leaving on <paramref name="leftOn"/>, or null when the policy has no return exception.</summary>
    public static DateOnly? ReturnBy(PermitLifecycle lifecycle, PermitTerms terms, string residenceDivision, DateOnly leftOn)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        ArgumentNullException.ThrowIfNull(terms);
        return terms.ReturnException is { } exception ? lifecycle.Due(exception, residenceDivision, leftOn) : null;
    }

    /// <summary>
    /// A renewal asked on <paramref name="today"/>: open from the policy's window (or from issue where it sets none) to the last
    /// day of validity; after the policy's 「期满N日前」 deadline it is late, not inadmissible.
    /// </summary>
    public static RenewalDecision Renewal(PermitLifecycle lifecycle, PermitTerms terms, PermitFacts permit, DateOnly validUntil, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(permit);
        var opens = lifecycle.RenewalOpens(terms, validUntil) ?? permit.IssuedOn ?? today;
        var deadline = lifecycle.RenewalDeadline(terms, validUntil);
        var windowBasis = terms.RenewWithin?.Basis ?? terms.Validity?.Basis ?? terms.PolicyId;
        return new RenewalDecision(today >= opens && today <= validUntil, opens, validUntil, deadline, deadline is { } by && today > by,
            Bases(windowBasis, terms.RenewBy?.Basis));
    }

    /// <summary>换领 needs the old card handed back where the policy chain says so (cn-2016 第十一条); 补领 never.</summary>
    public static Cited<bool> OldCardRequired(PermitTerms terms, string kind)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return kind == "replacement" ? terms.ReplacementReturnsOldCard : terms.ReplacementReturnsOldCard with { Value = false };
    }
}
