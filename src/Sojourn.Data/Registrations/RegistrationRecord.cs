namespace Sojourn.Data.Registrations;

/// <summary>
/// What 山西2017 第十一条 requires a registration to hold, as one snapshot. Every version carries a
/// full copy, so history reads without replaying events. The identity number is stored only as
/// SM4 ciphertext, a keyed SM3 lookup hash and a masked form (never in clear).
/// </summary>
public sealed class RegistrationRecord
{
    public required string Name { get; set; }

    /// <summary>male or female, as in the policy contract vocabulary.</summary>
    public required string Sex { get; set; }

    /// <summary>GB/T 3304 ethnic group code, e.g. 01 汉族.</summary>
    public required string EthnicGroup { get; set; }

    public DateOnly BirthDate { get; set; }
    public required string IdNumberCipher { get; set; }
    public required string IdNumberHmac { get; set; }
    public required string IdNumberMasked { get; set; }

    /// <summary>Recent photo (近期照片), kept in its own table.</summary>
    public Guid? PhotoId { get; set; }

    public required string HukouDivisionCode { get; set; }
    public required string HukouAddress { get; set; }
    public required string ResidenceDivisionCode { get; set; }
    public required string ResidenceAddress { get; set; }

    /// <summary>服务处所: where the person works or studies.</summary>
    public string? Workplace { get; set; }

    /// <summary>
    /// 用人单位: the code of the employer establishment (as a report names its establishment), when the person is hired
    /// by one; with <see cref="HiredOn"/> it is the fact the employer's hire duty (山西2017 第十五条) runs from.
    /// </summary>
    public string? EmployerCode { get; set; }

    /// <summary>入职日期: the day of the hire by <see cref="EmployerCode"/> (聘用之日, 招用之日).</summary>
    public DateOnly? HiredOn { get; set; }

    /// <summary>GB/T 4658 education level code.</summary>
    public required string EducationLevel { get; set; }

    public required string EmploymentStatus { get; set; }

    /// <summary>Comma-separated social insurance kinds held (empty: none).</summary>
    public string SocialInsurance { get; set; } = "";

    public required string MaritalStatus { get; set; }
    public bool MarriageBirthCertificate { get; set; }

    public DateOnly ArrivedOn { get; set; }
    public int IntendedDays { get; set; }
    public required string Purpose { get; set; }
    public required string Lodging { get; set; }

    public List<AccompanyingChild> Children { get; set; } = [];

    /// <summary>Deep copy: EF tracks owned instances by identity, so a new version needs new objects.</summary>
    public RegistrationRecord Copy()
    {
        var copy = (RegistrationRecord)MemberwiseClone();
        copy.Children = [.. Children.Select(c => c.Copy())];
        return copy;
    }
}

/// <summary>未满16周岁的随行人员 (山西2017 第十一条); the identity number is optional.</summary>
public sealed class AccompanyingChild
{
    public required string Name { get; set; }
    public required string Sex { get; set; }
    public DateOnly BirthDate { get; set; }
    public string? IdNumberCipher { get; set; }
    public string? IdNumberHmac { get; set; }
    public string? IdNumberMasked { get; set; }

    public AccompanyingChild Copy() => (AccompanyingChild)MemberwiseClone();
}
