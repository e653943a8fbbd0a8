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
}

/// <summary>Supplies the scope of whoever is acting now; the web host derives it from the signed-in account.</summary>
public interface ICurrentActor
{
    ActorScope Scope { get; }
}
