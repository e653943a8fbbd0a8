namespace Sojourn.Application.Permits;

/// <summary>A permit as the API shows it. The identity number is masked; the legal basis of each date is given.</summary>
internal sealed record PermitDto
{
    public required Guid Id { get; init; }
    public required int Version { get; init; }
    public required string Kind { get; init; }
    public Guid? PredecessorId { get; init; }
    public required string Status { get; init; }
    public string? PermitNumber { get; init; }
    public required string Name { get; init; }
    public required string IdNumber { get; init; }
    public required Guid RegistrationId { get; init; }
    public required string ResidenceDivision { get; init; }
    public required string ResidenceAddress { get; init; }
    public string? Workplace { get; init; }
    public required string StationCode { get; init; }
    public required string StationName { get; init; }
    public required string Authority { get; init; }
    public required string PolicyId { get; init; }
    public required string ApplicantRelation { get; init; }
    public required DateOnly AppliedOn { get; init; }
    public required DateOnly IssueDue { get; init; }
    public DateOnly? IssuedOn { get; init; }
    public DateOnly? ValidUntil { get; init; }
    public DateOnly? EndorsementOpens { get; init; }
    public DateOnly? EndorsementDue { get; init; }
    public int EndorsementsDone { get; init; }
    public DateOnly? ResidenceCountsFrom { get; init; }
    public DateOnly? LeftOn { get; init; }
    public string? RefusalReason { get; init; }
    public string? RefusalBasis { get; init; }
    public int? FeeYuan { get; init; }
    public string? FeeBasis { get; init; }
}

/// <summary>One step of a permit's history.</summary>
internal sealed record PermitEventDto(
    int Number,
    string Kind,
    string StatusAfter,
    DateOnly EffectiveOn,
    DateTime At,
    string Actor,
    string? Office,
    string? Reason,
    string? Basis,
    System.Text.Json.Nodes.JsonNode? Engine,
    System.Text.Json.Nodes.JsonNode? Details);
