using Sojourn.Data.Permits;

namespace Sojourn.Application.Permits;

/// <summary>New permit rows (a first application, a successor), shared by the steps.</summary>
public static class PermitRows
{
    /// <summary>
    /// A new permit row for the person of a confirmed registration: who they are (identity number as
    /// cipher, lookup hash and masked form only), where they live, the station and issuing organ, the photo.
    /// The caller sets what the step decides (dates, number, policy, applicant).
    /// </summary>
    public static Permit FromRegistration(
        Data.Registrations.Registration registration, Data.Registrations.RegistrationRecord record,
        string kind, string status, string authorityName, DateTime now, string actor)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(actor);
        return new Permit
        {
            Id = Guid.CreateVersion7(),
            Kind = kind,
            Status = status,
            PersonName = record.Name,
            PersonIdCipher = record.IdNumberCipher,
            PersonIdHmac = record.IdNumberHmac,
            PersonIdMasked = record.IdNumberMasked,
            Sex = record.Sex,
            EthnicGroup = record.EthnicGroup,
            BirthDate = record.BirthDate,
            RegistrationId = registration.Id,
            ResidenceDivisionCode = registration.ResidenceDivisionCode,
            ResidenceAddress = record.ResidenceAddress,
            Workplace = record.Workplace,
            StationCode = registration.StationCode ?? "",
            StationName = registration.StationName ?? "",
            AuthorityCode = registration.ResidenceDivisionCode[..6],
            AuthorityName = authorityName,
            PolicyId = "",
            PhotoId = record.PhotoId,
            CreatedAt = now,
            UpdatedAt = now,
            CreatedBy = Cut(actor),
        };
    }

    /// <summary>
    /// A new row that takes over the permit (renewal, replacement, reissue): the same person, residence,
    /// station and issuing authority; the caller sets number, dates, status and fee.
    /// </summary>
    public static Permit Successor(Permit old, string kind, DateTime now, string actor)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(actor);
        return new Permit
        {
            Id = Guid.CreateVersion7(),
            Kind = kind,
            PredecessorId = old.Id,
            PersonName = old.PersonName,
            PersonIdCipher = old.PersonIdCipher,
            PersonIdHmac = old.PersonIdHmac,
            PersonIdMasked = old.PersonIdMasked,
            Sex = old.Sex,
            EthnicGroup = old.EthnicGroup,
            BirthDate = old.BirthDate,
            PhoneCipher = old.PhoneCipher,
            RegistrationId = old.RegistrationId,
            ResidenceDivisionCode = old.ResidenceDivisionCode,
            ResidenceAddress = old.ResidenceAddress,
            Workplace = old.Workplace,
            StationCode = old.StationCode,
            StationName = old.StationName,
            AuthorityCode = old.AuthorityCode,
            AuthorityName = old.AuthorityName,
            RemoteArea = old.RemoteArea,
            PolicyId = old.PolicyId,
            ApplicantRelation = old.ApplicantRelation,
            ApplicantName = old.ApplicantName,
            Materials = old.Materials,
            FactsJson = old.FactsJson,
            PhotoId = old.PhotoId,
            ResidenceCountsFrom = old.ResidenceCountsFrom,
            CreatedAt = now,
            UpdatedAt = now,
            CreatedBy = Cut(actor),
        };
    }

    private static string Cut(string actor) =>
        actor.Length > Data.Validation.ColumnLengths.Actor ? actor[..Data.Validation.ColumnLengths.Actor] : actor;
}
