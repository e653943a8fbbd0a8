using Sojourn.Data.Registrations;

namespace Sojourn.Web.Registration;

/// <summary>Stored rows to API shapes; identity numbers go through <see cref="IdentityDisclosure"/>.</summary>
public static class Mapping
{
    public static RecordDto ToDto(this RegistrationRecord r, RegistrationContext ctx, DisclosurePurpose purpose = DisclosurePurpose.Display)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(ctx);
        return new RecordDto(
            r.Name,
            r.Sex,
            new CodeName(r.EthnicGroup, ReferenceData.EthnicGroupName(r.EthnicGroup)),
            r.BirthDate,
            ctx.Disclosure.Present(r.IdNumberMasked, () => ctx.Protector.Decrypt(r.IdNumberCipher), purpose),
            new CodeName(r.HukouDivisionCode, ReferenceData.DivisionName(r.HukouDivisionCode)),
            r.HukouAddress,
            new CodeName(r.ResidenceDivisionCode, ReferenceData.DivisionName(r.ResidenceDivisionCode)),
            r.ResidenceAddress,
            r.Workplace,
            new CodeName(r.EducationLevel, ReferenceData.EducationName(r.EducationLevel)),
            r.EmploymentStatus,
            r.SocialInsurance.Split(',', StringSplitOptions.RemoveEmptyEntries),
            r.MaritalStatus,
            r.MarriageBirthCertificate,
            r.ArrivedOn,
            r.IntendedDays,
            r.Purpose,
            r.Lodging,
            r.PhotoId is not null,
            [.. r.Children.Select(c => new ChildDto(
                c.Name,
                c.Sex,
                c.BirthDate,
                c.IdNumberCipher is null ? null : ctx.Disclosure.Present(c.IdNumberMasked!, () => ctx.Protector.Decrypt(c.IdNumberCipher), purpose)))]);
    }

    public static RegistrationDto ToDto(this Data.Registrations.Registration reg, RegistrationVersion current, RegistrationContext ctx)
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
            current.Record.ToDto(ctx));
    }

    public static VersionDto ToDto(this RegistrationVersion v, RegistrationContext ctx)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new VersionDto(
            v.Number,
            v.Kind,
            v.Status,
            v.RecordedAt,
            v.RecordedBy,
            new DeclarantDto(v.DeclarantChannel, v.DeclarantName, v.DeclarantRole),
            v.Reason,
            v.CertificateNumber,
            v.StationCode is null ? null : new StationDto(v.StationCode, v.StationName),
            v.DepartedOn,
            v.Record.ToDto(ctx));
    }
}
