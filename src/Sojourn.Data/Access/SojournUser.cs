using Microsoft.AspNetCore.Identity;

namespace Sojourn.Data.Access;

/// <summary>
/// A sign-in account (ASP.NET Core Identity user) with its one role and its reach. Divisions and
/// stations are comma-separated codes; a migrant account carries the lookup hash of its identity number.
/// </summary>
public sealed class SojournUser : IdentityUser
{
    /// <summary>One of <see cref="Roles"/>.</summary>
    public string Role { get; set; } = "";

    /// <summary>Display name of the office (e.g. 亲贤派出所, 小店区卫生健康局) shown to migrants; never the officer's own details.</summary>
    public string Office { get; set; } = "";

    public string DisplayName { get; set; } = "";

    /// <summary>Comma-separated GB/T 2260 prefixes (14, 1401, 140105).</summary>
    public string Divisions { get; set; } = "";

    /// <summary>Comma-separated station codes.</summary>
    public string Stations { get; set; } = "";

    /// <summary>Migrants: keyed SM3 lookup hash of their own identity number.</summary>
    public string? PersonIdHmac { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>
    /// A change awaiting a second person (docs/adr/0005-account-separation-of-duties.md): <c>create</c> (the account
    /// stays locked until approved) or <c>change</c> (the pending role and reach below replace the current ones on
    /// approval); null when nothing is pending.
    /// </summary>
    public string? PendingChange { get; set; }

    public string? PendingRole { get; set; }
    public string? PendingDivisions { get; set; }
    public string? PendingStations { get; set; }

    /// <summary>Who asked for the pending change (an approver must be someone else).</summary>
    public string? ChangeRequestedBy { get; set; }

    public DateTime? ChangeRequestedAt { get; set; }

    /// <summary>
    /// The password is an initial one that only the holder's activation accepts: sign-in refuses it until the holder
    /// chooses a password (and, for second-factor roles, receives the authenticator key).
    /// </summary>
    public bool MustActivate { get; set; }

    public static IReadOnlyList<string> SplitCodes(string codes) =>
        (codes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>The roles. Department roles share the prefix <c>dept-</c>.</summary>
public static class Roles
{
    public const string Migrant = "migrant";
    public const string Reporter = "reporter";
    public const string Collector = "collector";
    public const string Officer = "officer";
    public const string StationChief = "station-chief";
    public const string Health = "dept-health";
    public const string HumanResources = "dept-hrss";
    public const string Education = "dept-education";
    public const string CivilAffairs = "dept-civil-affairs";
    public const string Housing = "dept-housing";
    public const string Justice = "dept-justice";
    public const string Analyst = "analyst";
    public const string Administrator = "admin";

    public static readonly IReadOnlyList<string> All =
    [
        Migrant, Reporter, Collector, Officer, StationChief, Health, HumanResources, Education, CivilAffairs,
        Housing, Justice, Analyst, Administrator,
    ];

    public static readonly IReadOnlyList<string> Departments = [Health, HumanResources, Education, CivilAffairs, Housing, Justice];

    public static bool IsDepartment(string role) => Departments.Contains(role);

    /// <summary>Officials whose reach is a jurisdiction (division codes and stations).</summary>
    public static bool IsOfficial(string role) =>
        role is Collector or Officer or StationChief || IsDepartment(role);

    /// <summary>Police roles must pass a TOTP second factor at sign-in.</summary>
    public static bool RequiresSecondFactor(string role) => role is Officer or StationChief || IsDepartment(role);

    public static ActorReach ReachOf(string role) => role switch
    {
        Migrant => ActorReach.Person,
        Reporter => ActorReach.Reporter,
        _ when IsOfficial(role) => ActorReach.Jurisdiction,
        _ => ActorReach.None,
    };
}

/// <summary>An opaque API token (reporters' systems, sessions); only its SHA-256 hash is stored.</summary>
public sealed class ApiToken
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public required string TokenHash { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }

    /// <summary><see cref="ApiTokenScopes"/>: what the token may do (sessions: read-write).</summary>
    public string Scope { get; set; } = ApiTokenScopes.ReadWrite;

    /// <summary>The administrator who issued an integration token; null for a sign-in session.</summary>
    public string? IssuedBy { get; set; }
}

/// <summary>
/// The scope of an API token: <c>read</c> tokens may only use GET and HEAD; <c>read-write</c> tokens everything the
/// account's role may. The role's endpoint table (access.json) still applies on top.
/// </summary>
public static class ApiTokenScopes
{
    public const string Read = "read";
    public const string ReadWrite = "read-write";

    public static bool IsKnown(string? scope) => scope is Read or ReadWrite;
}
