namespace Sojourn.Application.PersonalData;

/// <summary>How a use case touched a person's data; the audit entry's action.</summary>
public enum DataAction
{
    Read,
    List,
    Search,
    Write,
}

/// <summary>
/// The person whose data was touched: the lookup hash of their identity number (never the number), the residence
/// division the record belongs to (the jurisdiction and the confidentiality article), and the registration when
/// there is one (a reported tenant may have none).
/// </summary>
public sealed record PersonRef(string PersonIdHmac, string? ResidenceDivisionCode, Guid? RegistrationId = null);

/// <summary>One declared use of a person's data, with the names (never the values) of the fields disclosed or written.</summary>
public sealed record PersonalDataUse(DataAction Action, PersonRef Person, IReadOnlyList<string> Fields, string? Operation = null);

/// <summary>
/// What the current use case declared it read or wrote of whose data (one per scope). A use case declares as it
/// goes; the one audit step of the host (an endpoint filter, a job's or the CLI's unit of work) turns the
/// declarations into audit entries in the operation's transaction. Nothing here inspects responses.
/// </summary>
public sealed class PersonalDataLedger
{
    private readonly List<PersonalDataUse> _uses = [];

    public IReadOnlyList<PersonalDataUse> Uses => _uses;

    /// <summary>A search that named a person (by lookup hash) is a read of that person whatever it found.</summary>
    public string? SearchedPersonIdHmac { get; private set; }

    public void Declare(DataAction action, PersonRef person, IEnumerable<string> fields, string? operation = null)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(fields);
        _uses.Add(new PersonalDataUse(action, person, [.. fields], operation));
    }

    public void Read(PersonRef person, IEnumerable<string> fields) => Declare(DataAction.Read, person, fields);

    public void Wrote(PersonRef person, IEnumerable<string> fields) => Declare(DataAction.Write, person, fields);

    public void Searched(string personIdHmac)
    {
        ArgumentException.ThrowIfNullOrEmpty(personIdHmac);
        SearchedPersonIdHmac = personIdHmac;
    }

    /// <summary>Forgets the declarations (a failed attempt whose writes rolled back discloses nothing).</summary>
    public void Clear()
    {
        _uses.Clear();
        SearchedPersonIdHmac = null;
    }
}
