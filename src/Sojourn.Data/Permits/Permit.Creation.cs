using Sojourn.Data.Registrations;
using Sojourn.Data.Validation;

namespace Sojourn.Data.Permits;

/// <summary>
/// How a permit row comes to be. Each creation takes the whole starting state at once; the step that follows
/// (<see cref="Applied"/>, <see cref="IssueAsSuccessor"/>, <see cref="Recorded"/>) raises its event.
/// </summary>
public sealed partial class Permit
{
    /// <summary>
    /// A first-issue application for the person of a confirmed registration: who they are (identity number as cipher,
    /// lookup hash and masked form only), where they live, the station and the issuing organ, the photo.
    /// </summary>
    public static Permit Apply(
        Registration registration, RegistrationRecord record, string authorityName, PermitApplication application, DateTime now, string actor) =>
        AsItWas(PermitKind.FirstIssue, PermitHolder.From(record), PermitResidence.From(registration, record),
            registration.ResidenceDivisionCode[..6], authorityName, application, new PermitIssue(PermitStatus.Applied), now, actor);

    /// <summary>
    /// A row that takes over the permit (renewal, replacement, reissue): the same person, residence, station and
    /// issuing authority; the application's policy (the old one's when null), days and the issue terms are the step's.
    /// </summary>
    public static Permit Succeed(Permit old, string kind, string? policyId, DateOnly appliedOn, DateOnly issueDue, PermitIssue issue, DateTime now, string actor)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(issue);
        var application = new PermitApplication(policyId ?? old.PolicyId, appliedOn, issueDue)
        {
            RemoteArea = old.RemoteArea,
            PhoneCipher = old.PhoneCipher,
            ApplicantRelation = old.ApplicantRelation,
            ApplicantName = old.ApplicantName,
            Materials = old.Materials,
            FactsJson = old.FactsJson,
        };
        var holder = new PermitHolder(old.PersonName, old.PersonIdCipher, old.PersonIdHmac, old.PersonIdMasked, old.Sex, old.EthnicGroup, old.BirthDate, old.PhotoId);
        var residence = new PermitResidence(old.RegistrationId, old.ResidenceDivisionCode, old.StationCode, old.StationName, old.ResidenceAddress, old.Workplace);
        var successor = AsItWas(kind, holder, residence, old.AuthorityCode, old.AuthorityName, application,
            issue with { ResidenceCountsFrom = issue.ResidenceCountsFrom ?? old.ResidenceCountsFrom }, now, actor, old.Id);
        return successor;
    }

    /// <summary>
    /// A permit recorded as it was, in whatever state its issue left it: the one deliberate way to make a row that did
    /// not start here (a transitional permit of an earlier policy; test and demo seeding). No event is raised; the
    /// caller's step (<see cref="Recorded"/> for a transitional permit) does that.
    /// </summary>
    public static Permit AsItWas(
        string kind, PermitHolder holder, PermitResidence residence, string authorityCode, string authorityName,
        PermitApplication application, PermitIssue issue, DateTime now, string actor, Guid? predecessorId = null)
    {
        ArgumentNullException.ThrowIfNull(holder);
        ArgumentNullException.ThrowIfNull(residence);
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(issue);
        ArgumentNullException.ThrowIfNull(actor);
        return new Permit
        {
            Id = Guid.CreateVersion7(),
            Kind = kind,
            PredecessorId = predecessorId,
            Version = issue.Version,
            Status = issue.Status,
            PermitNumber = issue.PermitNumber,
            PersonName = holder.Name,
            PersonIdCipher = holder.IdCipher,
            PersonIdHmac = holder.IdHmac,
            PersonIdMasked = holder.IdMasked,
            Sex = holder.Sex,
            EthnicGroup = holder.EthnicGroup,
            BirthDate = holder.BirthDate,
            PhotoId = holder.PhotoId,
            PhoneCipher = application.PhoneCipher,
            RegistrationId = residence.RegistrationId,
            ResidenceDivisionCode = residence.DivisionCode,
            ResidenceAddress = residence.Address,
            Workplace = residence.Workplace,
            StationCode = residence.StationCode,
            StationName = residence.StationName ?? "",
            AuthorityCode = authorityCode,
            AuthorityName = authorityName,
            RemoteArea = application.RemoteArea,
            PolicyId = application.PolicyId,
            ApplicantRelation = application.ApplicantRelation,
            ApplicantName = application.ApplicantName,
            Materials = application.Materials,
            FactsJson = application.FactsJson,
            AppliedOn = application.AppliedOn,
            IssueDue = application.IssueDue,
            DecidedOn = issue.DecidedOn,
            IssuedOn = issue.IssuedOn,
            ValidUntil = issue.ValidUntil,
            EndorsementAnchor = issue.EndorsementAnchor,
            EndorsementsDone = issue.EndorsementsDone,
            EndorsementOpens = issue.EndorsementOpens,
            EndorsementDue = issue.EndorsementDue,
            ResidenceCountsFrom = issue.ResidenceCountsFrom,
            LeftOn = issue.LeftOn,
            FeeYuan = issue.FeeYuan,
            FeeBasis = issue.FeeBasis,
            CreatedAt = now,
            UpdatedAt = now,
            CreatedBy = actor.Length > ColumnLengths.Actor ? actor[..ColumnLengths.Actor] : actor,
        };
    }

    /// <summary>The identity number under the active key (key rotation re-encrypts a new row on save).</summary>
    internal void Reprotect(Func<string, string> reprotect) => PersonIdCipher = reprotect(PersonIdCipher);

    /// <summary>The permit's index in its authority's status list, given once, on its first credential.</summary>
    public int EnsureStatusIndex(Func<int> allocate)
    {
        ArgumentNullException.ThrowIfNull(allocate);
        StatusIndex ??= allocate();
        return StatusIndex.Value;
    }
}

/// <summary>Who holds the permit, as the registration records them (identity number as cipher, hash and mask only).</summary>
public sealed record PermitHolder(
    string Name, string IdCipher, string IdHmac, string IdMasked, string Sex, string EthnicGroup, DateOnly BirthDate, Guid? PhotoId)
{
    public static PermitHolder From(RegistrationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Name, record.IdNumberCipher, record.IdNumberHmac, record.IdNumberMasked, record.Sex, record.EthnicGroup,
            record.BirthDate, record.PhotoId);
    }
}

/// <summary>What the application said: the policy in force, its days, and what the applicant declared.</summary>
public sealed record PermitApplication(string PolicyId, DateOnly AppliedOn, DateOnly IssueDue)
{
    public bool RemoteArea { get; init; }
    public string? PhoneCipher { get; init; }
    public string ApplicantRelation { get; init; } = "self";
    public string? ApplicantName { get; init; }
    public string Materials { get; init; } = "";
    public string FactsJson { get; init; } = "{}";
}

/// <summary>The state a permit starts in: its status and, once issued, its number, validity, endorsement and fee.</summary>
public sealed record PermitIssue(string Status)
{
    /// <summary>The number of the row's latest history entry when recorded as it was (0: the creating step writes the first).</summary>
    public int Version { get; init; }

    public string? PermitNumber { get; init; }
    public DateOnly? DecidedOn { get; init; }
    public DateOnly? IssuedOn { get; init; }
    public DateOnly? ValidUntil { get; init; }
    public DateOnly? EndorsementAnchor { get; init; }
    public int EndorsementsDone { get; init; }
    public DateOnly? EndorsementOpens { get; init; }
    public DateOnly? EndorsementDue { get; init; }
    public DateOnly? ResidenceCountsFrom { get; init; }
    public DateOnly? LeftOn { get; init; }
    public int? FeeYuan { get; init; }
    public string? FeeBasis { get; init; }
}
