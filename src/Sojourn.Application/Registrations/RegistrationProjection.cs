using Sojourn.Data.Registrations;
using Sojourn.Data.Security;

namespace Sojourn.Application.Registrations;

/// <summary>
/// Stored rows to API shapes through the caller's <see cref="RegistrationView"/>: a field the view does not hold is
/// never read into the answer (and an identity number it does not show is never decrypted). Lists and searches
/// select only the summary fields the view shows, in the query itself.
/// </summary>
public sealed class RegistrationProjection(RegistrationView view, IdentityProtector protector, bool official, DateOnly today)
{
    public RegistrationView View => view;

    public RecordDto Record(RegistrationRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        T? If<T>(string field, Func<T> value) => view.Shows(field) ? value() : default;
        return new RecordDto(
            If("name", () => r.Name),
            If("sex", () => r.Sex),
            If("ethnicGroup", () => new CodeName(r.EthnicGroup, ReferenceData.EthnicGroupName(r.EthnicGroup))),
            If<DateOnly?>("birthDate", () => r.BirthDate),
            If("idNumber", () => IdNumber(r.IdNumberMasked, r.IdNumberCipher)),
            If("hukouDivision", () => new CodeName(r.HukouDivisionCode, ReferenceData.DivisionName(r.HukouDivisionCode))),
            If("hukouAddress", () => r.HukouAddress),
            If("residenceDivision", () => new CodeName(r.ResidenceDivisionCode, ReferenceData.DivisionName(r.ResidenceDivisionCode))),
            If("residenceAddress", () => r.ResidenceAddress),
            If("workplace", () => r.Workplace),
            // 用人单位 and 入职日期 go with 服务处所: the same view holds where the person works.
            If("workplace", () => r.EmployerCode is null ? null : new CodeName(r.EmployerCode, null)),
            If<DateOnly?>("workplace", () => r.HiredOn),
            If("education", () => new CodeName(r.EducationLevel, ReferenceData.EducationName(r.EducationLevel))),
            If("employment", () => r.EmploymentStatus),
            If<IReadOnlyList<string>>("socialInsurance", () => r.SocialInsurance.Split(',', StringSplitOptions.RemoveEmptyEntries)),
            If("maritalStatus", () => r.MaritalStatus),
            If<bool?>("marriageBirthCertificate", () => r.MarriageBirthCertificate),
            If<DateOnly?>("arrivedOn", () => r.ArrivedOn),
            If<int?>("intendedDays", () => r.IntendedDays),
            If("purpose", () => r.Purpose),
            If("lodging", () => r.Lodging),
            If<bool?>("hasPhoto", () => r.PhotoId is not null),
            If<IReadOnlyList<ChildDto>>("children", () => [.. r.Children.Select(c => new ChildDto(
                c.Name, c.Sex, c.BirthDate, c.IdNumberCipher is null ? null : IdNumber(c.IdNumberMasked!, c.IdNumberCipher)))]));
    }

    public RegistrationDto Registration(Registration reg, RegistrationVersion current)
    {
        ArgumentNullException.ThrowIfNull(reg);
        ArgumentNullException.ThrowIfNull(current);
        return new RegistrationDto(
            reg.Id,
            reg.Status,
            reg.Version,
            reg.CertificateNumber,
            reg.StationCode is null ? null : new StationDto(reg.StationCode, reg.StationName),
            reg.DeclaredAt,
            reg.ConfirmedAt,
            reg.DepartedOn,
            Record(current.Record),
            // A department sees why it may: its duty articles in the record's jurisdiction, read from the policies.
            view.DepartmentBasis?.Invoke(reg.ResidenceDivisionCode, today),
            Compliance.RegistrationDuties.Dto(reg, today));
    }

    public VersionDto Version(RegistrationVersion v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new VersionDto(
            v.Number,
            v.Kind,
            v.Status,
            v.RecordedAt,
            // Migrants and reporters see who acted by channel and office, not the officer's account.
            official ? v.RecordedBy : null,
            new DeclarantDto(v.DeclarantChannel, v.DeclarantName, v.DeclarantRole),
            v.Reason,
            v.CertificateNumber,
            v.StationCode is null ? null : new StationDto(v.StationCode, v.StationName),
            v.DepartedOn,
            Record(v.Record));
    }

    private string IdNumber(string masked, string cipher) => view.FullIdNumber ? protector.Decrypt(cipher) : masked;
}
