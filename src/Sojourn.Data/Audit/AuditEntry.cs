namespace Sojourn.Data.Audit;

/// <summary>
/// One read or write of a named person's data (confidentiality per jurisdiction: policy files' dataAccess; 个人信息保护法 第四十五条).
/// Rows are append-only (database triggers) and chained: <see cref="Hash"/> = SM3(<see cref="PrevHash"/> ‖ canonical entry).
/// </summary>
public sealed class AuditEntry
{
    /// <summary>1, 2, 3 … without gaps; the chain order.</summary>
    public long Seq { get; set; }

    public DateTime At { get; set; }
    public required string AccountId { get; set; }
    public required string ActorRole { get; set; }

    /// <summary>The actor's office, shown to the migrant instead of the officer's own details.</summary>
    public required string Office { get; set; }

    /// <summary>read | write | search | list.</summary>
    public required string Action { get; set; }

    /// <summary>Endpoint name, e.g. GetRegistration.</summary>
    public required string Operation { get; set; }

    public Guid? RegistrationId { get; set; }

    /// <summary>Lookup hash of the person's identity number, so a migrant can find reads of their data.</summary>
    public string? PersonIdHmac { get; set; }

    public string? ResidenceDivisionCode { get; set; }

    /// <summary>Comma-separated field names disclosed or written.</summary>
    public required string Fields { get; set; }

    public string? Purpose { get; set; }
    public string? Ip { get; set; }
    public required string PrevHash { get; set; }
    public required string Hash { get; set; }
}
