namespace Sojourn.Data.Registrations;

/// <summary>
/// Life cycle of one stay's residence registration (山西2017 第九条, 第十二条): declared by the
/// person, confirmed by the station of the residence, ended by departure. Stored as text so the
/// partial index on open stays can name the value in SQL on both providers.
/// </summary>
public static class RegistrationStatus
{
    public const string Declared = "declared";
    public const string Confirmed = "confirmed";
    public const string Ended = "ended";
}

/// <summary>Why a version was appended; every change to a registration appends one.</summary>
public static class VersionKind
{
    public const string Declaration = "declaration";
    public const string Confirmation = "confirmation";
    public const string Correction = "correction";
    public const string Change = "change";
    public const string Photo = "photo";
    public const string Departure = "departure";
}

/// <summary>The registration's steps after its declaration, by name (as <see cref="Registration.IsOpenFor"/> takes them).</summary>
public static class RegistrationStep
{
    public const string Confirm = "confirm";

    /// <summary>更正, 变更, or a new photo.</summary>
    public const string Amend = "amend";

    public const string Depart = "depart";
}
