namespace Sojourn.Data.Idempotency;

/// <summary>
/// The first response to a POST carrying an Idempotency-Key. A row with <see cref="StatusCode"/> 0
/// is a request still running: it reserves the key so a concurrent repeat cannot run twice.
/// </summary>
public sealed class IdempotencyRecord
{
    public required string Key { get; init; }
    public required string RequestHash { get; init; }
    public int StatusCode { get; set; }
    public string? ContentType { get; set; }
    public string? Location { get; set; }
    public string? ETag { get; set; }
    public byte[]? Body { get; set; }
    public DateTime CreatedAt { get; init; }
}
