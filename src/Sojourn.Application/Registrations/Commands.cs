namespace Sojourn.Application.Registrations;

/// <summary>申报居住登记: the record and who declared it.</summary>
public sealed record DeclareRegistrationCommand(DeclareRequest Request);

/// <summary>The station of the residence confirms and issues the certificate number.</summary>
public sealed record ConfirmRegistrationCommand(Guid Id, int? ExpectedVersion, string? StationCode, string? StationName, string? OfficerName);

/// <summary>更正 (<c>VersionKind.Correction</c>) or 变更 (<c>VersionKind.Change</c>) of the fields given in <see cref="Changes"/>.</summary>
public sealed record AmendRegistrationCommand(
    Guid Id, string Kind, int? ExpectedVersion, string? Reason, DeclarantInput? Declarant, RecordInput? Changes);

/// <summary>终止居住: the stay ends on the day the person left.</summary>
public sealed record EndRegistrationCommand(Guid Id, int? ExpectedVersion, DateOnly? DepartedOn, string? Reason, DeclarantInput? Declarant);

/// <summary>A recent photo (JPEG or PNG, as sent) for the registration.</summary>
public sealed record UploadRegistrationPhotoCommand(Guid Id, int? ExpectedVersion, string? MediaType, byte[] Content);

/// <summary>The registration as it stands now.</summary>
public sealed record GetRegistrationQuery(Guid Id);

/// <summary>Every version of a registration, oldest first.</summary>
public sealed record RegistrationHistoryQuery(Guid Id);

/// <summary>The registration's current photo.</summary>
public sealed record RegistrationPhotoQuery(Guid Id);

/// <summary>Registrations by residence division prefix, station and status; a page of them (null: the defaults).</summary>
public sealed record ListRegistrationsQuery(string? Division, string? Station, string? Status, int? Page, int? PageSize)
{
    /// <summary>Order by arrival, earliest first: a station's queue, where the registration deadline runs from arrival.</summary>
    public const string ByArrival = "arrival";

    /// <summary><see cref="ByArrival"/>, or null for the newest declaration first.</summary>
    public string? Order { get; init; }

    /// <summary>The registration duty's status today (open, met, late, overdue, none), or null for any.</summary>
    public string? DutyStatus { get; init; }
}

/// <summary>The person of one registration (a page names the person by a record it reached, not by identity number).</summary>
public sealed record PersonOfRegistrationQuery(Guid RegistrationId);

/// <summary>Every stay of one person, by identity number (exact match through the lookup hash).</summary>
public sealed record SearchRegistrationsQuery(string? IdNumber);

/// <summary>
/// Stays whose person's name begins with <paramref name="Name"/> (at least <see cref="MinLength"/> characters), within
/// the caller's reach, one page at a time.
/// </summary>
public sealed record SearchRegistrationsByNameQuery(string? Name, int? Page, int? PageSize)
{
    /// <summary>Two characters (a surname and one more) at least: a single surname is a trawl, not a search for a person.</summary>
    public const int MinLength = 2;

    /// <summary>As the registration form stores a name (RecordValidator).</summary>
    public const int MaxLength = 50;
}

/// <summary>What a declaration or amendment produced: the registration, or, for a reporter whose report an existing stay already covers, nothing to see.</summary>
public sealed record Recorded(RegistrationDto? Registration)
{
    public bool CoveredByExisting => Registration is null;
}

/// <summary>A stored photo.</summary>
public sealed record PhotoContent(byte[] Content, string ContentType);
