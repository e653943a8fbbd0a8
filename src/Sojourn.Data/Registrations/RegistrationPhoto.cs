namespace Sojourn.Data.Registrations;

/// <summary>A recent photo (近期照片), bytes in their own table so listing never loads them.</summary>
public sealed class RegistrationPhoto
{
    public Guid Id { get; init; }
    public Guid RegistrationId { get; init; }
    public required string ResidenceDivisionCode { get; init; }
    public required string ContentType { get; init; }
    public required byte[] Content { get; init; }
    public required string Sha256 { get; init; }
    public DateTime UploadedAt { get; init; }
}

/// <summary>Next certificate sequence number per residence division and year.</summary>
public sealed class CertificateSequence
{
    public required string DivisionCode { get; init; }
    public int Year { get; init; }
    public long LastNumber { get; set; }
}
