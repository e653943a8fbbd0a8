using System.Security.Claims;
using System.Security.Cryptography;
using Sojourn.Data.Access;

namespace Sojourn.Web.Access.Accounts;

/// <summary>
/// Separation of duties for accounts (docs/adr/0005-account-separation-of-duties.md): a new account, or a change of
/// an account's role or reach, is a request that someone other than its requester (and other than the account
/// itself) approves: an administrator whose divisions cover the account's (none = the whole deployment), or the
/// station chief whose divisions cover a collector's or officer's.
/// </summary>
internal static class AccountApproval
{
    public const string Create = "create";
    public const string Change = "change";

    /// <summary>Roles a station chief may approve: the station's own staff.</summary>
    private static readonly string[] StationStaff = [Roles.Collector, Roles.Officer];

    public static bool IsOwnRequestOrAccount(ClaimsPrincipal approver, SojournUser target)
    {
        ArgumentNullException.ThrowIfNull(approver);
        return IsOwnRequestOrAccount(approver.AccountId(), target);
    }

    /// <summary>Whether the approver (by account id) asked for the change or is the account itself.</summary>
    public static bool IsOwnRequestOrAccount(string approverId, SojournUser target)
    {
        ArgumentNullException.ThrowIfNull(approverId);
        ArgumentNullException.ThrowIfNull(target);
        return approverId.Length == 0 || approverId == target.ChangeRequestedBy || approverId == target.Id;
    }

    /// <summary>Whether <paramref name="approver"/>'s role and jurisdiction cover the account as it would be after approval.</summary>
    public static bool Covers(ClaimsPrincipal approver, SojournUser target)
    {
        ArgumentNullException.ThrowIfNull(approver);
        var scope = approver.Scope();
        return Covers(approver.Role(), scope.Divisions, scope.Stations, target);
    }

    /// <summary>The same test for an approver given by role and reach (a page's actor, an endpoint's claims).</summary>
    public static bool Covers(string? approverRole, IReadOnlyList<string> approverDivisions, IReadOnlyList<string> approverStations, SojournUser target)
    {
        ArgumentNullException.ThrowIfNull(approverDivisions);
        ArgumentNullException.ThrowIfNull(approverStations);
        ArgumentNullException.ThrowIfNull(target);
        var role = target.PendingChange == Change ? target.PendingRole ?? target.Role : target.Role;
        var divisions = SojournUser.SplitCodes(target.PendingChange == Change ? target.PendingDivisions ?? "" : target.Divisions);
        var stations = SojournUser.SplitCodes(target.PendingChange == Change ? target.PendingStations ?? "" : target.Stations);
        return approverRole switch
        {
            Roles.Administrator => approverDivisions.Count == 0 || Within(divisions, approverDivisions),
            Roles.StationChief => StationStaff.Contains(role) && Within(divisions, approverDivisions)
                && (approverStations.Count == 0 || stations.All(approverStations.Contains)),
            _ => false,
        };
    }

    private static bool Within(IReadOnlyList<string> divisions, IReadOnlyList<string> reach) =>
        divisions.Count > 0 && divisions.All(d => reach.Any(r => d.StartsWith(r, StringComparison.Ordinal)));
}

/// <summary>
/// The activation code a new account's holder signs in with once: two halves, the creator's (its hash is the initial
/// password) and the approver's (its hash kept with the account's Identity tokens). Neither person alone opens it.
/// </summary>
internal static class AccountActivation
{
    public const string Provider = "[Sojourn]";
    public const string ApproverHalf = "ActivationSecondHalf";
    public const int HalfLength = 8;

    /// <summary>No 0/O, 1/I/L: read aloud or from paper without mistakes.</summary>
    private const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    public static string NewHalf() => RandomNumberGenerator.GetString(Alphabet, HalfLength);

    public static string AuthenticatorUri(string userName, string key) =>
        $"otpauth://totp/Sojourn:{Uri.EscapeDataString(userName)}?secret={key}&issuer=Sojourn&digits=6&period=30";
}
