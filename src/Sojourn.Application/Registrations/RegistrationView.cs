namespace Sojourn.Application.Registrations;

/// <summary>
/// One role's view of a registration (the web host reads it from Access/access.json): which record fields it shows,
/// whether it sees full identity numbers, and, for a department, the articles that give it the view in a
/// jurisdiction on a day. The use cases build their answers from it (<see cref="RegistrationProjection"/>).
/// </summary>
public sealed record RegistrationView(
    IReadOnlySet<string> Fields,
    bool FullIdNumber = false,
    Func<string, DateOnly, string>? DepartmentBasis = null)
{
    /// <summary>The record fields of 山西2017 第十一条 as the API names them, in the order they appear.</summary>
    public static readonly IReadOnlyList<string> AllFields =
    [
        "name", "sex", "ethnicGroup", "birthDate", "idNumber", "hukouDivision", "hukouAddress", "residenceDivision",
        "residenceAddress", "workplace", "education", "employment", "socialInsurance", "maritalStatus",
        "marriageBirthCertificate", "arrivedOn", "intendedDays", "purpose", "lodging", "hasPhoto", "children",
    ];

    /// <summary>A role with no view sees no field of a named person.</summary>
    public static readonly RegistrationView Nothing = new(new HashSet<string>(StringComparer.Ordinal));

    /// <summary>Trusted in-process code (seeding, jobs): every field, identity numbers masked.</summary>
    public static readonly RegistrationView Everything = new(new HashSet<string>(AllFields, StringComparer.Ordinal));

    public bool Shows(string field) => Fields.Contains(field);

    /// <summary>The fields this view discloses, in record order (the audit entry of a read names them).</summary>
    public IReadOnlyList<string> Disclosed => [.. AllFields.Where(Fields.Contains)];
}

/// <summary>The field view of a role (null or unknown: <see cref="RegistrationView.Nothing"/>).</summary>
public interface IRegistrationViews
{
    RegistrationView ViewOf(string? role);
}
