using System.Text.Json.Nodes;
using Sojourn.Data.Permits;

namespace Sojourn.Application.Permits;

/// <summary>A permit and its history as the API shows them (the identity number masked).</summary>
internal static class PermitMapper
{
    /// <summary>The fields of a person's data a permit discloses, as declared in the personal-data ledger.</summary>
    public static readonly IReadOnlyList<string> DisclosedFields =
        ["name", "idNumberMasked", "residenceAddress", "workplace", "permitNumber", "status", "dates"];

    public static PermitDto ToDto(Permit p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new PermitDto
        {
            Id = p.Id,
            Version = p.Version,
            Kind = p.Kind,
            PredecessorId = p.PredecessorId,
            Status = p.Status,
            PermitNumber = p.PermitNumber,
            Name = p.PersonName,
            IdNumber = p.PersonIdMasked,
            RegistrationId = p.RegistrationId,
            ResidenceDivision = p.ResidenceDivisionCode,
            ResidenceAddress = p.ResidenceAddress,
            Workplace = p.Workplace,
            StationCode = p.StationCode,
            StationName = p.StationName,
            Authority = p.AuthorityName,
            PolicyId = p.PolicyId,
            ApplicantRelation = p.ApplicantRelation,
            AppliedOn = p.AppliedOn,
            IssueDue = p.IssueDue,
            IssuedOn = p.IssuedOn,
            ValidUntil = p.ValidUntil,
            EndorsementOpens = p.EndorsementOpens,
            EndorsementDue = p.EndorsementDue,
            EndorsementsDone = p.EndorsementsDone,
            ResidenceCountsFrom = p.ResidenceCountsFrom,
            LeftOn = p.LeftOn,
            RefusalReason = p.RefusalReason,
            RefusalBasis = p.RefusalBasis,
            FeeYuan = p.FeeYuan,
            FeeBasis = p.FeeBasis,
        };
    }

    public static PermitEventDto ToDto(PermitEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new PermitEventDto(e.Number, e.Kind, e.StatusAfter, e.EffectiveOn, e.At, e.Actor, e.Office, e.Reason, e.Basis,
            e.Engine is null ? null : JsonNode.Parse(e.Engine), e.Details is null ? null : JsonNode.Parse(e.Details));
    }

    /// <summary>The facts of a permit the legal decisions read (Sojourn.Rules PermitDecisions).</summary>
    public static Rules.Permits.PermitFacts Facts(Permit p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new Rules.Permits.PermitFacts
        {
            Status = p.Status,
            ResidenceDivision = p.ResidenceDivisionCode,
            Kind = p.Kind,
            IssueDue = p.IssueDue,
            IssuedOn = p.IssuedOn,
            ValidUntil = p.ValidUntil,
            EndorsementAnchor = p.EndorsementAnchor,
            EndorsementsDone = p.EndorsementsDone,
            EndorsementOpens = p.EndorsementOpens,
            EndorsementDue = p.EndorsementDue,
            LeftOn = p.LeftOn,
        };
    }

    /// <summary>The person a permit is about, for the personal-data ledger (the lookup hash, never the number).</summary>
    public static PersonalData.PersonRef Person(Permit p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new PersonalData.PersonRef(p.PersonIdHmac, p.ResidenceDivisionCode, p.RegistrationId);
    }
}
