using Sojourn.Rules.Evaluation;
using Sojourn.Rules.Permits;

namespace Sojourn.Rules.Registration;

/// <summary>
/// What a residence registration records for a residence division on a day, from the policy chain in force
/// (<c>registration:</c> in the policy files), each value with the article that says it.
/// </summary>
public sealed record RegistrationTerms(Cited<IReadOnlyList<string>> Contents, Cited<int> AccompanyingChildBelowAge)
{
    /// <summary>The terms in force, or null when no policy applies to the division on the day.</summary>
    /// <exception cref="InvalidOperationException">A chain without a registration value (a policy file gap).</exception>
    public static RegistrationTerms? For(string residenceDivision, DateOnly on, PolicyCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(residenceDivision);
        var chain = (catalog ?? PolicyCatalog.Default).Resolve(null, residenceDivision, on);
        return chain is null
            ? null
            : new RegistrationTerms(
                // A value an article states wins over a more specific layer's silent one, as for the permit provisions.
                PermitLifecycle.TextFirst(chain, "contents", d => d.Registration.Contents, "registration"),
                PermitLifecycle.TextFirst(chain, "accompanyingChildBelowAge", d => d.Registration.AccompanyingChildBelowAge, "registration"));
    }
}
