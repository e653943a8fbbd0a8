using NpgsqlTypes;
using Sojourn.Bench.Registration.Generation;
using Sojourn.Data.Registrations;
using Sojourn.Data.Security;
using Sojourn.Domain;

namespace Sojourn.Bench.Registration.Measurement;

/// <summary>
/// The rows one declaration writes (Registrations, RegistrationVersions, AccompanyingChildren), built
/// with Sojourn.Data's own entity logic and the same identity protection as the app, so the ceilings
/// write what the app writes. Built before timing: encryption is not part of the database ceiling.
/// </summary>
public sealed record StoredRegistration(Data.Registrations.Registration Registration, RegistrationVersion Version)
{
    public static StoredRegistration From(SyntheticPerson person, IdentityProtector protector, DateOnly today, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(protector);
        var id = CitizenId.Parse(person.IdNumber, today);
        var record = new RegistrationRecord
        {
            Name = person.Name,
            Sex = person.Sex,
            EthnicGroup = person.EthnicGroup,
            BirthDate = person.BirthDate,
            IdNumberCipher = protector.Encrypt(id.Value),
            IdNumberHmac = protector.LookupHash(id.Value),
            IdNumberMasked = id.Masked(),
            HukouDivisionCode = person.HukouDivision,
            HukouAddress = person.HukouAddress,
            ResidenceDivisionCode = person.ResidenceDivision,
            ResidenceAddress = person.ResidenceAddress,
            Workplace = person.Workplace,
            EducationLevel = person.Education,
            EmploymentStatus = person.Employment,
            SocialInsurance = string.Join(',', person.SocialInsurance),
            MaritalStatus = person.MaritalStatus,
            MarriageBirthCertificate = person.MarriageBirthCertificate,
            ArrivedOn = person.ArrivedOn,
            IntendedDays = person.IntendedDays,
            Purpose = person.Purpose,
            Lodging = person.Lodging,
            Children = [.. person.Children.Select(c => new AccompanyingChild
            {
                Name = c.Name,
                Sex = c.Sex,
                BirthDate = c.BirthDate,
                IdNumberCipher = c.IdNumber is null ? null : protector.Encrypt(c.IdNumber),
                IdNumberHmac = c.IdNumber is null ? null : protector.LookupHash(c.IdNumber),
                IdNumberMasked = c.IdNumber is null ? null : CitizenId.Parse(c.IdNumber, today).Masked(),
            })],
        };
        var d = person.Declarant;
        var declarant = new Declarant(d.Channel, d.Name ?? person.Name, d.Role);
        var (registration, version) = Data.Registrations.Registration.Declare(Guid.CreateVersion7(), record, declarant, person.Actor, now);
        return new StoredRegistration(registration, version);
    }
}

/// <summary>One column of a ceiling table: name, wire type and how to read it from a stored registration.</summary>
public sealed record Column<T>(string Name, NpgsqlDbType Type, Func<T, object?> Get);

/// <summary>Column lists of the three tables a declaration writes, matching the PostgreSQL migration.</summary>
public static class StoredColumns
{
    public static readonly Column<Data.Registrations.Registration>[] Registrations =
    [
        new("Id", NpgsqlDbType.Uuid, r => r.Id),
        new("Status", NpgsqlDbType.Varchar, r => r.Status),
        new("Version", NpgsqlDbType.Integer, r => r.Version),
        new("PersonName", NpgsqlDbType.Varchar, r => r.PersonName),
        new("PersonIdHmac", NpgsqlDbType.Varchar, r => r.PersonIdHmac),
        new("PersonIdMasked", NpgsqlDbType.Varchar, r => r.PersonIdMasked),
        new("ResidenceDivisionCode", NpgsqlDbType.Varchar, r => r.ResidenceDivisionCode),
        new("ResidenceAddressKey", NpgsqlDbType.Varchar, r => r.ResidenceAddressKey),
        new("StationCode", NpgsqlDbType.Varchar, r => r.StationCode),
        new("StationName", NpgsqlDbType.Varchar, r => r.StationName),
        new("CertificateNumber", NpgsqlDbType.Varchar, r => r.CertificateNumber),
        new("ArrivedOn", NpgsqlDbType.Date, r => r.ArrivedOn),
        new("DepartedOn", NpgsqlDbType.Date, r => r.DepartedOn),
        new("DeclaredAt", NpgsqlDbType.TimestampTz, r => r.DeclaredAt),
        new("ConfirmedAt", NpgsqlDbType.TimestampTz, r => r.ConfirmedAt),
        new("UpdatedAt", NpgsqlDbType.TimestampTz, r => r.UpdatedAt),
        new("DeclaredBy", NpgsqlDbType.Varchar, _ => null),
    ];

    public static readonly Column<RegistrationVersion>[] Versions =
    [
        new("Id", NpgsqlDbType.Uuid, v => v.Id),
        new("RegistrationId", NpgsqlDbType.Uuid, v => v.RegistrationId),
        new("Number", NpgsqlDbType.Integer, v => v.Number),
        new("Kind", NpgsqlDbType.Varchar, v => v.Kind),
        new("Status", NpgsqlDbType.Varchar, v => v.Status),
        new("RecordedAt", NpgsqlDbType.TimestampTz, v => v.RecordedAt),
        new("RecordedBy", NpgsqlDbType.Varchar, v => v.RecordedBy),
        new("DeclarantChannel", NpgsqlDbType.Varchar, v => v.DeclarantChannel),
        new("DeclarantName", NpgsqlDbType.Varchar, v => v.DeclarantName),
        new("DeclarantRole", NpgsqlDbType.Varchar, v => v.DeclarantRole),
        new("Reason", NpgsqlDbType.Varchar, v => v.Reason),
        new("ResidenceDivisionCode", NpgsqlDbType.Varchar, v => v.ResidenceDivisionCode),
        new("StationCode", NpgsqlDbType.Varchar, v => v.StationCode),
        new("StationName", NpgsqlDbType.Varchar, v => v.StationName),
        new("CertificateNumber", NpgsqlDbType.Varchar, v => v.CertificateNumber),
        new("DepartedOn", NpgsqlDbType.Date, v => v.DepartedOn),
        new("Record_Name", NpgsqlDbType.Varchar, v => v.Record.Name),
        new("Record_Sex", NpgsqlDbType.Varchar, v => v.Record.Sex),
        new("Record_EthnicGroup", NpgsqlDbType.Varchar, v => v.Record.EthnicGroup),
        new("Record_BirthDate", NpgsqlDbType.Date, v => v.Record.BirthDate),
        new("Record_IdNumberCipher", NpgsqlDbType.Varchar, v => v.Record.IdNumberCipher),
        new("Record_IdNumberHmac", NpgsqlDbType.Varchar, v => v.Record.IdNumberHmac),
        new("Record_IdNumberMasked", NpgsqlDbType.Varchar, v => v.Record.IdNumberMasked),
        new("Record_PhotoId", NpgsqlDbType.Uuid, v => v.Record.PhotoId),
        new("Record_HukouDivisionCode", NpgsqlDbType.Varchar, v => v.Record.HukouDivisionCode),
        new("Record_HukouAddress", NpgsqlDbType.Varchar, v => v.Record.HukouAddress),
        new("Record_ResidenceDivisionCode", NpgsqlDbType.Varchar, v => v.Record.ResidenceDivisionCode),
        new("Record_ResidenceAddress", NpgsqlDbType.Varchar, v => v.Record.ResidenceAddress),
        new("Record_Workplace", NpgsqlDbType.Varchar, v => v.Record.Workplace),
        new("Record_EducationLevel", NpgsqlDbType.Varchar, v => v.Record.EducationLevel),
        new("Record_EmploymentStatus", NpgsqlDbType.Varchar, v => v.Record.EmploymentStatus),
        new("Record_SocialInsurance", NpgsqlDbType.Varchar, v => v.Record.SocialInsurance),
        new("Record_MaritalStatus", NpgsqlDbType.Varchar, v => v.Record.MaritalStatus),
        new("Record_MarriageBirthCertificate", NpgsqlDbType.Boolean, v => v.Record.MarriageBirthCertificate),
        new("Record_ArrivedOn", NpgsqlDbType.Date, v => v.Record.ArrivedOn),
        new("Record_IntendedDays", NpgsqlDbType.Integer, v => v.Record.IntendedDays),
        new("Record_Purpose", NpgsqlDbType.Varchar, v => v.Record.Purpose),
        new("Record_Lodging", NpgsqlDbType.Varchar, v => v.Record.Lodging),
    ];

    /// <summary>Children rows: the child and the id of the version that owns it (Id is an identity column).</summary>
    public static readonly Column<(AccompanyingChild Child, Guid VersionId)>[] Children =
    [
        new("Name", NpgsqlDbType.Varchar, c => c.Child.Name),
        new("Sex", NpgsqlDbType.Varchar, c => c.Child.Sex),
        new("BirthDate", NpgsqlDbType.Date, c => c.Child.BirthDate),
        new("IdNumberCipher", NpgsqlDbType.Varchar, c => c.Child.IdNumberCipher),
        new("IdNumberHmac", NpgsqlDbType.Varchar, c => c.Child.IdNumberHmac),
        new("IdNumberMasked", NpgsqlDbType.Varchar, c => c.Child.IdNumberMasked),
        new("VersionId", NpgsqlDbType.Uuid, c => c.VersionId),
    ];
}
