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

    public static IReadOnlyList<string> SplitCodes(string codes) =>
        (codes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>The roles of issue 5. Department roles share the prefix <c>dept-</c>.</summary>
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
}
