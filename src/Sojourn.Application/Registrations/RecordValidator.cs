using Sojourn.Application.Errors;
using Sojourn.Data.Registrations;
using Sojourn.Data.Security;
using Sojourn.Domain;
using Sojourn.Rules.Divisions;
using Sojourn.Rules.Registration;

namespace Sojourn.Application.Registrations;

/// <summary>
/// Checks a complete registration record against the policy in force at the residence (registration.contents,
/// accompanyingChildBelowAge: 山西2017 第十一条 in Shanxi) and the national code tables, and
/// turns it into the stored form (identity numbers encrypted, hashed and masked). Every field is
/// checked so that one response names every problem.
/// </summary>
public sealed class RecordValidator(IdentityProtector protector, Sojourn.Application.Time.ILegalClock clock)
{
    private const int MaxName = 50;
    private const int MaxAddress = 200;

    /// <param name="employers">The kinds of the establishments <paramref name="input"/> names as 用人单位, by code, read by the
    /// caller (<see cref="EmployerLookup"/>): this check is synchronous.</param>
    public RegistrationRecord? Validate(
        RecordInput input, string prefix, FieldErrors errors, Guid? photoId, IReadOnlyDictionary<string, string>? employers = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        var today = clock.Today;
        string F(string name) => prefix + name;

        var name = Text(input.Name, F("name"), MaxName, errors);

        CitizenId id = default;
        if (string.IsNullOrWhiteSpace(input.IdNumber))
        {
            errors.Add(F("idNumber"), "Field_Required", Messages.Get("Label_IdNumber"));
        }
        else if (!CitizenId.TryParse(input.IdNumber, today, out id, out var idError))
        {
            errors.AddText(F("idNumber"), DescribeIdError(idError));
        }

        var haveId = !id.IsEmpty;
        var sex = input.Sex;
        if (sex is null && haveId)
        {
            sex = ReferenceData.ToApi(id.Sex);
        }

        if (sex is null)
        {
            errors.Add(F("sex"), "Field_Required", Messages.Get("Label_Sex"));
        }
        else if (!ReferenceData.Sexes.Contains(sex))
        {
            errors.Add(F("sex"), "Field_OneOf", Messages.Get("Label_Sex"), string.Join(", ", ReferenceData.Sexes));
        }
        else if (haveId && sex != ReferenceData.ToApi(id.Sex))
        {
            errors.Add(F("sex"), "Field_DisagreesWithIdNumber", Messages.Get("Label_Sex"));
        }

        var birthDate = input.BirthDate ?? (haveId ? id.BirthDate : null);
        if (birthDate is null)
        {
            errors.Add(F("birthDate"), "Field_Required", Messages.Get("Label_BirthDate"));
        }
        else if (haveId && birthDate != id.BirthDate)
        {
            errors.Add(F("birthDate"), "Field_DisagreesWithIdNumber", Messages.Get("Label_BirthDate"));
        }
        else if (birthDate > today)
        {
            errors.Add(F("birthDate"), "Field_InFuture", Messages.Get("Label_BirthDate"));
        }

        var ethnic = Code(input.EthnicGroup, F("ethnicGroup"), "Label_EthnicGroup", ReferenceData.IsEthnicGroup, "GB/T 3304", errors);
        var hukouDivision = Division(input.HukouDivision, F("hukouDivision"), "Label_HukouDivision", countyOnly: false, errors);
        var hukouAddress = Text(input.HukouAddress, F("hukouAddress"), MaxAddress, errors);
        var residenceDivision = Division(input.ResidenceDivision, F("residenceDivision"), "Label_ResidenceDivision", countyOnly: true, errors);
        var residenceAddress = Text(input.ResidenceAddress, F("residenceAddress"), MaxAddress, errors);
        var workplace = OptionalText(input.Workplace, F("workplace"), MaxAddress, errors);
        var (employerCode, hiredOn) = Employment(input, F, today, employers, errors);
        var education = Code(input.Education, F("education"), "Label_Education", ReferenceData.IsEducationLevel, "GB/T 4658", errors);
        var employment = OneOf(input.Employment, F("employment"), "Label_Employment", ReferenceData.Employment, errors);
        var marital = OneOf(input.MaritalStatus, F("maritalStatus"), "Label_MaritalStatus", ReferenceData.MaritalStatus, errors);
        var purpose = OneOf(input.Purpose, F("purpose"), "Label_Purpose", ReferenceData.Purposes, errors);
        var lodging = OneOf(input.Lodging, F("lodging"), "Label_Lodging", ReferenceData.Lodgings, errors);

        var insurance = input.SocialInsurance ?? [];
        for (var i = 0; i < insurance.Count; i++)
        {
            if (!ReferenceData.SocialInsurance.Contains(insurance[i]))
            {
                errors.Add($"{F("socialInsurance")}[{i}]", "Field_OneOf", Messages.Get("Label_SocialInsurance"), string.Join(", ", ReferenceData.SocialInsurance));
            }
        }

        if (input.ArrivedOn is not { } arrivedOn)
        {
            errors.Add(F("arrivedOn"), "Field_Required", Messages.Get("Label_ArrivedOn"));
        }
        else if (arrivedOn > today)
        {
            errors.Add(F("arrivedOn"), "Field_InFuture", Messages.Get("Label_ArrivedOn"));
        }
        else if (birthDate is { } b && arrivedOn < b)
        {
            errors.Add(F("arrivedOn"), "Field_BeforeBirth", Messages.Get("Label_ArrivedOn"));
        }

        if (input.IntendedDays is not { } days)
        {
            errors.Add(F("intendedDays"), "Field_Required", Messages.Get("Label_IntendedDays"));
        }
        else if (days < 1)
        {
            errors.Add(F("intendedDays"), "Field_Positive", Messages.Get("Label_IntendedDays"));
        }

        var children = new List<AccompanyingChild>();
        var childInputs = input.Children ?? [];
        for (var i = 0; i < childInputs.Count; i++)
        {
            var child = ValidateChild(childInputs[i], $"{F("children")}[{i}].", today, residenceDivision, errors);
            if (child is not null)
            {
                children.Add(child);
            }
        }

        if (errors.Any)
        {
            return null;
        }

        return new RegistrationRecord
        {
            Name = name!,
            Sex = sex!,
            EthnicGroup = ethnic!,
            BirthDate = birthDate!.Value,
            IdNumberCipher = protector.Encrypt(id.Value),
            IdNumberHmac = protector.LookupHash(id.Value),
            IdNumberMasked = id.Masked(),
            PhotoId = photoId,
            HukouDivisionCode = hukouDivision!,
            HukouAddress = hukouAddress!,
            ResidenceDivisionCode = residenceDivision!,
            ResidenceAddress = residenceAddress!,
            Workplace = workplace,
            EmployerCode = employerCode,
            HiredOn = hiredOn,
            EducationLevel = education!,
            EmploymentStatus = employment!,
            SocialInsurance = string.Join(',', insurance.Distinct(StringComparer.Ordinal)),
            MaritalStatus = marital!,
            MarriageBirthCertificate = input.MarriageBirthCertificate ?? false,
            ArrivedOn = input.ArrivedOn!.Value,
            IntendedDays = input.IntendedDays!.Value,
            Purpose = purpose!,
            Lodging = lodging!,
            Children = children,
        };
    }

    /// <summary>A stored record back as input (identity numbers decrypted in memory only), to overlay changes on.</summary>
    public RecordInput ToInput(RegistrationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new RecordInput
        {
            Name = record.Name,
            Sex = record.Sex,
            EthnicGroup = record.EthnicGroup,
            BirthDate = record.BirthDate,
            IdNumber = protector.Decrypt(record.IdNumberCipher),
            HukouDivision = record.HukouDivisionCode,
            HukouAddress = record.HukouAddress,
            ResidenceDivision = record.ResidenceDivisionCode,
            ResidenceAddress = record.ResidenceAddress,
            Workplace = record.Workplace,
            EmployerCode = record.EmployerCode,
            HiredOn = record.HiredOn,
            Education = record.EducationLevel,
            Employment = record.EmploymentStatus,
            SocialInsurance = record.SocialInsurance.Split(',', StringSplitOptions.RemoveEmptyEntries),
            MaritalStatus = record.MaritalStatus,
            MarriageBirthCertificate = record.MarriageBirthCertificate,
            ArrivedOn = record.ArrivedOn,
            IntendedDays = record.IntendedDays,
            Purpose = record.Purpose,
            Lodging = record.Lodging,
            Children = [.. record.Children.Select(c => new ChildInput(
                c.Name, c.Sex, c.BirthDate, c.IdNumberCipher is null ? null : protector.Decrypt(c.IdNumberCipher)))],
        };
    }

    /// <summary>Fields of <paramref name="changes"/> that are given replace those of <paramref name="current"/>.</summary>
    public static RecordInput Overlay(RecordInput current, RecordInput changes)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(changes);
        return new RecordInput
        {
            Name = changes.Name ?? current.Name,
            Sex = changes.Sex ?? current.Sex,
            EthnicGroup = changes.EthnicGroup ?? current.EthnicGroup,
            // A new identity number brings its own birth date and sex unless they are given too.
            BirthDate = changes.BirthDate ?? (changes.IdNumber is null ? current.BirthDate : null),
            IdNumber = changes.IdNumber ?? current.IdNumber,
            HukouDivision = changes.HukouDivision ?? current.HukouDivision,
            HukouAddress = changes.HukouAddress ?? current.HukouAddress,
            ResidenceDivision = changes.ResidenceDivision ?? current.ResidenceDivision,
            ResidenceAddress = changes.ResidenceAddress ?? current.ResidenceAddress,
            Workplace = changes.Workplace ?? current.Workplace,
            // An empty code clears the employer (and its hire day); otherwise each field overlays on its own.
            EmployerCode = changes.EmployerCode ?? current.EmployerCode,
            HiredOn = changes.EmployerCode is { Length: 0 } ? changes.HiredOn : changes.HiredOn ?? current.HiredOn,
            Education = changes.Education ?? current.Education,
            Employment = changes.Employment ?? current.Employment,
            SocialInsurance = changes.SocialInsurance ?? current.SocialInsurance,
            MaritalStatus = changes.MaritalStatus ?? current.MaritalStatus,
            MarriageBirthCertificate = changes.MarriageBirthCertificate ?? current.MarriageBirthCertificate,
            ArrivedOn = changes.ArrivedOn ?? current.ArrivedOn,
            IntendedDays = changes.IntendedDays ?? current.IntendedDays,
            Purpose = changes.Purpose ?? current.Purpose,
            Lodging = changes.Lodging ?? current.Lodging,
            Children = changes.Children ?? current.Children,
        };
    }

    /// <summary>
    /// 用人单位 and 入职日期: both or neither; the day not after today (nor before the birth); the code an establishment
    /// whose reports answer to the policies' <c>employer</c> party (<see cref="EmployerLookup"/>).
    /// </summary>
    private static (string? Code, DateOnly? HiredOn) Employment(
        RecordInput input, Func<string, string> f, DateOnly today, IReadOnlyDictionary<string, string>? employers, FieldErrors errors)
    {
        var code = string.IsNullOrWhiteSpace(input.EmployerCode) ? null : input.EmployerCode.Trim();
        var hiredOn = input.HiredOn;
        if (code is null && hiredOn is null)
        {
            return (null, null);
        }

        var ok = true;
        if (code is null)
        {
            errors.Add(f("employerCode"), "Employer_RequiredWithHiredOn", Messages.Get("Label_EmployerCode"), Messages.Get("Label_HiredOn"));
            ok = false;
        }
        else if (code.Length > EmployerLookup.MaxCode)
        {
            errors.Add(f("employerCode"), "Field_TooLong", Messages.Get("Label_EmployerCode"), EmployerLookup.MaxCode);
            ok = false;
        }
        else if (employers is null || !employers.TryGetValue(code, out var kind))
        {
            errors.Add(f("employerCode"), "Employer_Unknown", Messages.Get("Label_EmployerCode"), code);
            ok = false;
        }
        else if (!EmployerLookup.IsEmployer(kind))
        {
            errors.Add(f("employerCode"), "Employer_NotEmployer", Messages.Get("Label_EmployerCode"), code);
            ok = false;
        }

        if (hiredOn is not { } day)
        {
            errors.Add(f("hiredOn"), "Employer_RequiredWithHiredOn", Messages.Get("Label_HiredOn"), Messages.Get("Label_EmployerCode"));
            ok = false;
        }
        else if (day > today)
        {
            errors.Add(f("hiredOn"), "Field_InFuture", Messages.Get("Label_HiredOn"));
            ok = false;
        }
        else if (input.BirthDate is { } b && day < b)
        {
            errors.Add(f("hiredOn"), "Field_BeforeBirth", Messages.Get("Label_HiredOn"));
            ok = false;
        }

        return ok ? (code, hiredOn) : (null, null);
    }

    public static string DescribeIdError(CitizenIdError error)
    {
        // English text from resources where the request asks for it; zh-CN from the domain itself.
        var localized = Messages.Get("CitizenId_" + error);
        return localized.StartsWith("CitizenId_", StringComparison.Ordinal) ? CitizenId.Describe(error) : localized;
    }

    private AccompanyingChild? ValidateChild(ChildInput child, string prefix, DateOnly today, string? residenceDivision, FieldErrors errors)
    {
        if (child is null)
        {
            errors.Add(prefix.TrimEnd('.'), "Field_Required", Messages.Get("Label_Child"));
            return null;
        }

        var name = Text(child.Name, prefix + "name", MaxName, errors);
        var sex = OneOf(child.Sex, prefix + "sex", "Label_Sex", ReferenceData.Sexes, errors);
        CitizenId id = default;
        if (!string.IsNullOrWhiteSpace(child.IdNumber) && !CitizenId.TryParse(child.IdNumber, today, out id, out var idError))
        {
            errors.AddText(prefix + "idNumber", DescribeIdError(idError));
        }

        var birthDate = child.BirthDate ?? (id.IsEmpty ? null : id.BirthDate);
        if (birthDate is null)
        {
            errors.Add(prefix + "birthDate", "Field_Required", Messages.Get("Label_BirthDate"));
        }
        else if (!id.IsEmpty && birthDate != id.BirthDate)
        {
            errors.Add(prefix + "birthDate", "Field_DisagreesWithIdNumber", Messages.Get("Label_BirthDate"));
        }
        else if (birthDate > today)
        {
            errors.Add(prefix + "birthDate", "Field_InFuture", Messages.Get("Label_BirthDate"));
        }
        else if (residenceDivision is not null && RegistrationTerms.For(residenceDivision, today) is { } terms
                 && birthDate.Value.AddYears(terms.AccompanyingChildBelowAge.Value) <= today)
        {
            // The age and its article come from the policy in force at the residence (山西2017 第十一条 …), not configuration.
            errors.Add(prefix + "birthDate", "Child_TooOld", terms.AccompanyingChildBelowAge.Value, terms.AccompanyingChildBelowAge.Basis);
        }

        if (!id.IsEmpty && sex is not null && sex != ReferenceData.ToApi(id.Sex))
        {
            errors.Add(prefix + "sex", "Field_DisagreesWithIdNumber", Messages.Get("Label_Sex"));
        }

        if (name is null || sex is null || birthDate is null || errors.Has(prefix + "birthDate") || errors.Has(prefix + "idNumber") || errors.Has(prefix + "sex"))
        {
            return null;
        }

        return new AccompanyingChild
        {
            Name = name,
            Sex = sex,
            BirthDate = birthDate.Value,
            IdNumberCipher = id.IsEmpty ? null : protector.Encrypt(id.Value),
            IdNumberHmac = id.IsEmpty ? null : protector.LookupHash(id.Value),
            IdNumberMasked = id.IsEmpty ? null : id.Masked(),
        };
    }

    private static string? Text(string? value, string field, int max, FieldErrors errors)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            errors.Add(field, "Field_Required", LabelOf(field));
            return null;
        }

        if (trimmed.Length > max)
        {
            errors.Add(field, "Field_TooLong", LabelOf(field), max);
            return null;
        }

        return trimmed;
    }

    private static string? OptionalText(string? value, string field, int max, FieldErrors errors) =>
        string.IsNullOrWhiteSpace(value) ? null : Text(value, field, max, errors);

    private static string? OneOf(string? value, string field, string labelKey, string[] allowed, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "Field_Required", Messages.Get(labelKey));
            return null;
        }

        if (!allowed.Contains(value))
        {
            errors.Add(field, "Field_OneOf", Messages.Get(labelKey), string.Join(", ", allowed));
            return null;
        }

        return value;
    }

    private static string? Code(string? value, string field, string labelKey, Func<string, bool> known, string standard, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "Field_Required", Messages.Get(labelKey));
            return null;
        }

        if (!known(value))
        {
            errors.Add(field, "Field_UnknownCode", Messages.Get(labelKey), value, standard);
            return null;
        }

        return value;
    }

    private static string? Division(string? value, string field, string labelKey, bool countyOnly, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "Field_Required", Messages.Get(labelKey));
            return null;
        }

        switch (ReferenceData.CheckDivision(value))
        {
            case DivisionStatus.Invalid:
                errors.Add(field, "Division_Invalid", Messages.Get(labelKey));
                return null;
            case DivisionStatus.UnknownOrRetired:
                errors.Add(field, "Division_Unknown", Messages.Get(labelKey), value);
                return null;
        }

        if (countyOnly && !ReferenceData.IsCounty(value))
        {
            errors.Add(field, "Division_NotCounty", Messages.Get(labelKey));
            return null;
        }

        return value;
    }

    // "children[0].name" -> Label_Name
    private static string LabelOf(string field)
    {
        var last = field[(field.LastIndexOf('.') + 1)..];
        return Messages.Get("Label_" + char.ToUpperInvariant(last[0]) + last[1..]);
    }
}
