using Sojourn.Data.Domain;

namespace Sojourn.Data.Permits;

/// <summary>
/// The permit's steps. Each guards the state it starts from (a use case checks <see cref="IsOpen"/> first and answers
/// with a typed failure; a call in the wrong state is a programming error), changes the row, bumps the version and
/// raises the step's event. What the step decided (dates, fee, articles) comes from the legal decisions in
/// Sojourn.Rules (PermitDecisions); the side effects (history row, e-permit credential) run from the events when the
/// unit of work saves.
/// </summary>
public sealed partial class Permit
{
    /// <summary>The states each step starts from (居住证暂行条例 and the policies' lifecycle terms).</summary>
    private static readonly Dictionary<string, string[]> OpenFrom = new(StringComparer.Ordinal)
    {
        ["approve"] = [PermitStatus.Applied],
        ["refuse"] = [PermitStatus.Applied],
        ["endorse"] = [PermitStatus.Valid],
        ["restore"] = [PermitStatus.Suspended],
        ["lapse"] = [PermitStatus.Valid],
        ["expire"] = [PermitStatus.Valid, PermitStatus.Suspended],
        ["change"] = [PermitStatus.Valid, PermitStatus.Suspended],
        ["departure"] = [PermitStatus.Valid, PermitStatus.Suspended],
        ["return"] = [PermitStatus.Valid, PermitStatus.Suspended],
        ["cancel"] = [PermitStatus.Valid, PermitStatus.Suspended],
        ["renew"] = [PermitStatus.Valid],
        ["renew-issue"] = [PermitStatus.Valid, PermitStatus.Expired],
        ["replace"] = [PermitStatus.Valid, PermitStatus.Suspended],
        ["reissue"] = [PermitStatus.Valid, PermitStatus.Suspended],
    };

    /// <summary>Whether <paramref name="step"/> may start from the permit's current status.</summary>
    public bool IsOpen(string step) => OpenFrom.TryGetValue(step, out var from) && from.Contains(Status, StringComparer.Ordinal);

    private void Guard(string step)
    {
        if (!IsOpen(step))
        {
            throw new DomainRuleException(step, Status);
        }
    }

    private void Record(PermitStep step, Func<int, string, PermitDomainEvent> create)
    {
        ArgumentNullException.ThrowIfNull(step);
        Version++;
        UpdatedAt = step.At;
        Raise(create(Version, Status));
    }

    /// <summary>The application accepted (the row was just built from the registration; the issuance deadline runs).</summary>
    public void Applied(PermitStep step)
    {
        if (Status != PermitStatus.Applied || Version != 0)
        {
            throw new DomainRuleException("apply", Status);
        }

        Record(step, (n, s) => new PermitApplied(this, step, n, s));
    }

    /// <summary>制作发放: the station issues the permit with its number, validity, first endorsement window and fee.</summary>
    public void Approve(
        string permitNumber, DateOnly issuedOn, DateOnly? validUntil, DateOnly? endorsementOpens, DateOnly? endorsementDue,
        int? feeYuan, string? feeBasis, PermitStep step)
    {
        ArgumentException.ThrowIfNullOrEmpty(permitNumber);
        Guard("approve");
        Status = PermitStatus.Valid;
        PermitNumber = permitNumber;
        DecidedOn = issuedOn;
        IssuedOn = issuedOn;
        ValidUntil = validUntil;
        EndorsementAnchor = issuedOn;
        EndorsementsDone = 0;
        EndorsementOpens = endorsementOpens;
        EndorsementDue = endorsementDue;
        FeeYuan = feeYuan;
        FeeBasis = feeBasis;
        Record(step, (n, s) => new PermitIssued(this, step, n, s));
    }

    /// <summary>不予发放, with the reason told and the articles it rests on.</summary>
    public void Refuse(DateOnly decidedOn, string reason, string basis, PermitStep step)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        ArgumentException.ThrowIfNullOrEmpty(basis);
        Guard("refuse");
        Status = PermitStatus.Refused;
        DecidedOn = decidedOn;
        RefusalReason = reason;
        RefusalBasis = basis;
        Record(step, (n, s) => new PermitRefused(this, step, n, s));
    }

    /// <summary>签注 within the window: one more year endorsed, the next window set (none when the permit is renewed instead).</summary>
    public void Endorse(DateOnly? nextOpens, DateOnly? nextDue, PermitStep step)
    {
        Guard("endorse");
        EndorsementsDone++;
        EndorsementOpens = nextOpens;
        EndorsementDue = nextDue;
        Record(step, (n, s) => new PermitEndorsed(this, step, n, s));
    }

    /// <summary>A late endorsement restores a suspended permit; the years count anew from it where the policy says so.</summary>
    public void Restore(DateOnly endorsedOn, bool residenceCountsAnew, DateOnly? nextOpens, DateOnly? nextDue, PermitStep step)
    {
        Guard("restore");
        Status = PermitStatus.Valid;
        if (residenceCountsAnew)
        {
            ResidenceCountsFrom = endorsedOn;
        }

        EndorsementAnchor = endorsedOn;
        EndorsementsDone = 0;
        EndorsementOpens = nextOpens;
        EndorsementDue = nextDue;
        Record(step, (n, s) => new PermitRestored(this, step, n, s));
    }

    /// <summary>Endorsement missed: 功能中止 (suspended) or 废止 (void), as the policy in force on the due day says.</summary>
    public void MissEndorsement(bool voids, PermitStep step)
    {
        Guard("lapse");
        Status = voids ? PermitStatus.Void : PermitStatus.Suspended;
        Record(step, (n, s) => new PermitEndorsementMissed(this, step, n, s));
    }

    /// <summary>Past its last day of validity.</summary>
    public void Expire(PermitStep step)
    {
        Guard("expire");
        Status = PermitStatus.Expired;
        EndorsementOpens = null;
        EndorsementDue = null;
        Record(step, (n, s) => new PermitExpired(this, step, n, s));
    }

    /// <summary>
    /// A change of address or workplace; a move to another registration takes its residence and station. The record
    /// is built after the change (its details name the residence after it).
    /// </summary>
    public void Change(PermitResidence? movedTo, string? address, string? workplace, Func<PermitStep> record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Guard("change");
        if (movedTo is not null)
        {
            RegistrationId = movedTo.RegistrationId;
            ResidenceDivisionCode = movedTo.DivisionCode;
            StationCode = movedTo.StationCode;
            StationName = movedTo.StationName ?? StationName;
            ResidenceAddress = address ?? movedTo.Address;
            Workplace = workplace ?? movedTo.Workplace ?? Workplace;
        }
        else
        {
            ResidenceAddress = address ?? ResidenceAddress;
            Workplace = workplace ?? Workplace;
        }

        var step = record();
        Record(step, (n, s) => new PermitChanged(this, step, n, s));
    }

    /// <summary>Departure notified: cancellation pending while the return exception runs.</summary>
    public void Depart(DateOnly leftOn, PermitStep step)
    {
        Guard("departure");
        LeftOn = leftOn;
        Record(step, (n, s) => new PermitDeparted(this, step, n, s));
    }

    /// <summary>Back within the return exception: the pending cancellation is dropped.</summary>
    public void Return(PermitStep step)
    {
        Guard("return");
        if (LeftOn is null)
        {
            throw new DomainRuleException("return", "not-departed");
        }

        LeftOn = null;
        Record(step, (n, s) => new PermitReturned(this, step, n, s));
    }

    /// <summary>注销 (left, died, settled) or 收缴; the one-permit index no longer counts it. A departure day is kept.</summary>
    public void Cancel(DateOnly? leftOn, PermitStep step)
    {
        Guard("cancel");
        if (leftOn is not null)
        {
            LeftOn = leftOn;
        }

        Status = PermitStatus.Cancelled;
        Record(step, (n, s) => new PermitCancelled(this, step, n, s));
    }

    /// <summary>A renewal applied for on the old row (it stays valid until the successor is issued).</summary>
    public void ApplyForRenewal(PermitStep step)
    {
        Guard("renew");
        Record(step, (n, s) => new PermitRenewalApplied(this, step, n, s));
    }

    /// <summary>Renewed, replaced or reissued: <paramref name="successor"/> holds the permit from now.</summary>
    public void SupersedeBy(Permit successor, string step, PermitStep record)
    {
        ArgumentNullException.ThrowIfNull(successor);
        Guard(step);
        Status = PermitStatus.Superseded;
        Record(record, (n, s) => new PermitSuperseded(this, record, n, s));
    }

    /// <summary>A successor row (renewal, replacement, reissue) issued with its number.</summary>
    public void IssueAsSuccessor(string permitNumber, PermitStep step)
    {
        ArgumentException.ThrowIfNullOrEmpty(permitNumber);
        if (PredecessorId is null || Version != 0)
        {
            throw new DomainRuleException("issue-successor", Status);
        }

        PermitNumber = permitNumber;
        Record(step, (n, s) => new PermitIssued(this, step, n, s));
    }

    /// <summary>A permit issued under an earlier policy, recorded as it was (transitional validity).</summary>
    public void Recorded(PermitStep step)
    {
        if (Kind != PermitKind.Transitional || Version != 0)
        {
            throw new DomainRuleException("record", Status);
        }

        Record(step, (n, s) => new PermitRecorded(this, step, n, s));
    }
}

/// <summary>Where a permit moves with a change of residence: the new confirmed registration and its station.</summary>
public sealed record PermitResidence(
    Guid RegistrationId, string DivisionCode, string StationCode, string? StationName, string Address, string? Workplace)
{
    /// <summary>The residence of a registration: its division and station, the address and workplace of its record.</summary>
    public static PermitResidence From(Registrations.Registration registration, Registrations.RegistrationRecord record)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(record);
        return new(registration.Id, registration.ResidenceDivisionCode, registration.StationCode ?? "", registration.StationName ?? "",
            record.ResidenceAddress, record.Workplace);
    }
}
