namespace Sojourn.Data.Access;

/// <summary>How far the current actor reaches into the registration tables.</summary>
public enum ActorReach
{
    /// <summary>No named person at all (analyst, administrator, anonymous).</summary>
    None,

    /// <summary>Trusted in-process code outside a request: start-up seeding, the CLI, migrations.</summary>
    System,

    /// <summary>Officials: registrations whose residence division starts with one of the codes, or at one of the stations.</summary>
    Jurisdiction,

    /// <summary>A migrant: only the stays carrying their own identity number (lookup hash).</summary>
    Person,

    /// <summary>A reporter (landlord, employer, market, institution): only the people they reported.</summary>
    Reporter,
}

/// <summary>The reach the data layer filters every registration query by (EF Core global query filters).</summary>
public sealed record ActorScope(
    ActorReach Reach,
    IReadOnlyList<string> Divisions,
    IReadOnlyList<string> Stations,
    string? PersonIdHmac,
    string? AccountId)
{
    public static readonly ActorScope System = new(ActorReach.System, [], [], null, null);
    public static readonly ActorScope Nobody = new(ActorReach.None, [], [], null, null);

    /// <summary>
    /// Whether an official may write a record of this residence division (or station): the same test as the
    /// read filter, so what an official may save is exactly what they can see afterwards. Other reaches are
    /// bounded elsewhere (a migrant to their own number, a reporter to what they declared).
    /// </summary>
    public bool CoversResidence(string divisionCode, string? stationCode) =>
        Reach != ActorReach.Jurisdiction
        || Divisions.Any(d => divisionCode.StartsWith(d, StringComparison.Ordinal))
        || (stationCode is not null && Stations.Contains(stationCode, StringComparer.Ordinal));
}

/// <summary>An official tried to save a record outside their jurisdiction; nothing was written.</summary>
public sealed class OutsideJurisdictionException(string divisionCode)
    : InvalidOperationException("The record's residence division is outside the actor's jurisdiction.")
{
    public string DivisionCode { get; } = divisionCode;
}

/// <summary>Supplies the scope of whoever is acting now; the web host derives it from the signed-in account.</summary>
public interface ICurrentActor
{
    ActorScope Scope { get; }
}
