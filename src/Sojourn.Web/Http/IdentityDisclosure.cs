using Sojourn.Web.Access;

namespace Sojourn.Web.Http;

/// <summary>Why an identity number is being shown.</summary>
public enum DisclosurePurpose
{
    /// <summary>Ordinary reading of a record or a list.</summary>
    Display,

    /// <summary>Printing the registration certificate, which carries the full number.</summary>
    Certificate,
}

/// <summary>
/// The one place that decides whether a response carries a full identity number or the masked form
/// (1401**********1234): the caller's role's field view in Access/access.json (<c>idNumber</c>:
/// masked | full, <c>idNumberFullPurposes</c>). Outside a request (demo seeding) nothing is revealed.
/// The registration use cases apply the same view by projection (<see cref="RegistrationProjection"/>). Shared by the registration
/// and permit modules (the permit face prints the number too).
/// </summary>
public sealed class IdentityDisclosure(AccessPolicy policy, IHttpContextAccessor accessor)
{
    public bool MayRevealFull(DisclosurePurpose purpose)
    {
        var view = policy.ViewFor(accessor.HttpContext?.User.Role());
        if (view is null)
        {
            return false;
        }

        return view.IdNumber == "full"
            || (purpose == DisclosurePurpose.Certificate && view.IdNumberFullPurposes.Contains("certificate", StringComparer.Ordinal));
    }

    public string Present(string masked, Func<string> decrypt, DisclosurePurpose purpose)
    {
        ArgumentNullException.ThrowIfNull(decrypt);
        return MayRevealFull(purpose) ? decrypt() : masked;
    }
}
