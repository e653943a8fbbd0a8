namespace Sojourn.Data.TipOffs;

/// <summary>
/// A public tip-off (举报, 宁夏 第四十一条: anyone may report a breach to the police or the service station, which
/// must deal with it): what kind, where, what happened, and optionally how to reach the tipster. It is a lead on the
/// worklist of the station whose jurisdiction holds the address. The tipster's contact is stored only encrypted
/// (<see cref="ContactCipher"/>); nothing identifies the tipster otherwise (no account, no address of the browser).
/// A lead is closed once, with a note; it is never edited.
/// </summary>
public sealed class TipOff
{
    private TipOff()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>unregistered-tenant | unreported-hire | other (<see cref="TipOffKind"/>).</summary>
    public string Kind { get; private set; } = "";

    /// <summary>County-level GB/T 2260 code of the address: the jurisdiction key.</summary>
    public string DivisionCode { get; private set; } = "";

    public string Address { get; private set; } = "";
    public string Description { get; private set; } = "";

    /// <summary>The tipster's contact, SM4-encrypted by the identity protector; null when none was given.</summary>
    public string? ContactCipher { get; private set; }

    /// <summary>The station whose published jurisdiction holds the address (its worklist).</summary>
    public string StationCode { get; private set; } = "";

    public DateTime ReceivedAt { get; private set; }

    /// <summary>open | closed.</summary>
    public string Status { get; private set; } = TipOffStatus.Open;

    public DateTime? ClosedAt { get; private set; }

    /// <summary>Who closed it, as <c>role:userName</c>.</summary>
    public string? ClosedBy { get; private set; }

    public string? ClosingNote { get; private set; }

    public static TipOff Create(Guid id, string kind, string divisionCode, string address, string description, string? contactCipher,
        string stationCode, DateTime receivedAt) => new()
        {
            Id = id,
            Kind = kind,
            DivisionCode = divisionCode,
            Address = address,
            Description = description,
            ContactCipher = contactCipher,
            StationCode = stationCode,
            ReceivedAt = receivedAt,
        };

    /// <summary>Closes the lead with what was done; a closed lead stays as it was closed.</summary>
    public bool Close(string note, string by, DateTime at)
    {
        if (Status != TipOffStatus.Open)
        {
            return false;
        }

        Status = TipOffStatus.Closed;
        ClosingNote = note;
        ClosedBy = by;
        ClosedAt = at;
        return true;
    }
}

public static class TipOffStatus
{
    public const string Open = "open";
    public const string Closed = "closed";
}

/// <summary>The kinds of tip-off the public form offers.</summary>
public static class TipOffKind
{
    public const string UnregisteredTenant = "unregistered-tenant";
    public const string UnreportedHire = "unreported-hire";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All = [UnregisteredTenant, UnreportedHire, Other];
}

/// <summary>The stored lengths of a tip-off (the form's and the API's limits).</summary>
public static class TipOffLengths
{
    public const int Address = 200;
    public const int Description = 1000;
    public const int Contact = 100;
    public const int ContactCipher = 600;
    public const int Note = 500;
}
