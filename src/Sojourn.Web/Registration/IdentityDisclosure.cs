namespace Sojourn.Web.Registration;

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
/// (1401**********1234). The access-control issue hooks roles in here; until then only certificate
/// printing sees full numbers, and no endpoint prints certificates yet.
/// </summary>
public sealed class IdentityDisclosure
{
    public static bool MayRevealFull(DisclosurePurpose purpose) => purpose == DisclosurePurpose.Certificate;

    public string Present(string masked, Func<string> decrypt, DisclosurePurpose purpose)
    {
        ArgumentNullException.ThrowIfNull(decrypt);
        return MayRevealFull(purpose) ? decrypt() : masked;
    }
}
