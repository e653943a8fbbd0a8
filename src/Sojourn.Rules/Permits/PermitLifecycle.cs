using Sojourn.Rules.Evaluation;
using Sojourn.Rules.Periods;

namespace Sojourn.Rules.Permits;

/// <summary>
/// Resolves a residence permit's lifecycle terms for a residence division and day (the evaluator's
/// layering) and computes its dates with the contract's period arithmetic (§ Periods).
/// </summary>
public sealed class PermitLifecycle
{
    private readonly PolicyCatalog _catalog;

    /// <summary>Creates the lifecycle over a catalog.</summary>
    public PermitLifecycle(PolicyCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
    }

    /// <summary>The lifecycle over the embedded policies.</summary>
    public static PermitLifecycle Default { get; } = new(PolicyCatalog.Default);

    /// <summary>The terms in force for a residence division on a day (or under a named policy); null when no policy applies.</summary>
    public PermitTerms? Terms(string residenceDivision, DateOnly on, string? policyId = null)
    {
        ArgumentNullException.ThrowIfNull(residenceDivision);
        var chain = _catalog.Resolve(policyId, residenceDivision, on);
        return chain is null ? null : throw new NotImplementedException("PermitTerms: in progress");
    }

    /// <summary>Last day to issue the permit after the application was accepted.</summary>
    public DateOnly IssueDue(PermitTerms t, string residenceDivision, DateOnly acceptedOn, bool remote)
    {
        ArgumentNullException.ThrowIfNull(t);
        return Due(remote && t.IssueWithinRemote is { } r ? r : t.IssueWithin, residenceDivision, acceptedOn);
    }

    /// <summary>Last day of validity (the corresponding day, no roll-over), or null when the permit does not expire.</summary>
    public DateOnly? ValidUntil(PermitTerms t, DateOnly issuedOn)
    {
        ArgumentNullException.ThrowIfNull(t);
        return t.Validity is { } v ? PeriodMath.EndWithoutRollOver(issuedOn, v.Value, _catalog.Calendar.For(t.ResidenceDivision)) : null;
    }

    /// <summary>The endorsement window for the <paramref name="year"/>-th anniversary of <paramref name="anchor"/> (year 1 = first).</summary>
    public (DateOnly Opens, DateOnly Due) Endorsement(PermitTerms t, DateOnly anchor, int year)
    {
        ArgumentNullException.ThrowIfNull(t);
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);

        // As the evaluator computes person.endorse-permit: the anniversary itself (no roll-over)
        // anchors the window's start; the due day rolls to the next working day.
        var calendar = _catalog.Calendar.For(t.ResidenceDivision);
        var every = t.EndorseEvery.Value;
        var anniversary = PeriodMath.EndWithoutRollOver(anchor, every with { Amount = every.Amount * year }, calendar);
        return (PeriodMath.WindowStart(anniversary, t.EndorseWindow.Value), PeriodMath.NextWorkingDay(anniversary, calendar));
    }

    /// <summary>End of a period that starts with an event on <paramref name="from"/> (contract § Periods, the division's calendar).</summary>
    public DateOnly Due(Cited<Period> p, string residenceDivision, DateOnly from)
    {
        ArgumentNullException.ThrowIfNull(p);
        return PeriodMath.End(from, p.Value, _catalog.Calendar.For(residenceDivision));
    }

    /// <summary>First day a renewal may be applied for, or null when the policy sets no window.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Instance API like the other date methods.")]
    public DateOnly? RenewalOpens(PermitTerms t, DateOnly validUntil)
    {
        ArgumentNullException.ThrowIfNull(t);
        return t.RenewWithin is { } w ? PeriodMath.WindowStart(validUntil, w.Value) : null;
    }
}
