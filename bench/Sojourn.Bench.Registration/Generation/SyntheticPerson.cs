using System.Text.Json.Serialization;

namespace Sojourn.Bench.Registration.Generation;

/// <summary>
/// One generated floating-population registration, shaped as the body of
/// <c>POST /api/v1/registrations</c> (field names match Sojourn.Web's DeclareRequest in camelCase).
/// The identity numbers are synthetic but pass GB 11643 validation: never mistake them for real ones.
/// </summary>
public sealed record SyntheticPerson
{
    public required string Name { get; init; }
    public required string Sex { get; init; }
    public required string EthnicGroup { get; init; }
    public required DateOnly BirthDate { get; init; }
    public required string IdNumber { get; init; }
    public required string HukouDivision { get; init; }
    public required string HukouAddress { get; init; }
    public required string ResidenceDivision { get; init; }
    public required string ResidenceAddress { get; init; }
    public string? Workplace { get; init; }
    public required string Education { get; init; }
    public required string Employment { get; init; }
    public required IReadOnlyList<string> SocialInsurance { get; init; }
    public required string MaritalStatus { get; init; }
    public bool MarriageBirthCertificate { get; init; }
    public required DateOnly ArrivedOn { get; init; }
    public required int IntendedDays { get; init; }
    public required string Purpose { get; init; }
    public required string Lodging { get; init; }
    public required IReadOnlyList<SyntheticChild> Children { get; init; }
    public required SyntheticDeclarant Declarant { get; init; }

    /// <summary>Value of the X-Sojourn-Actor header: who typed it in (not part of the body).</summary>
    [JsonIgnore]
    public string Actor { get; init; } = "";
}

/// <summary>An accompanying child under 16; the identity number is often not given.</summary>
public sealed record SyntheticChild(string Name, string Sex, DateOnly BirthDate, string? IdNumber);

/// <summary>self, or a community collector / police officer declaring on the person's behalf.</summary>
public sealed record SyntheticDeclarant(string Channel, string? Name, string? Role);
