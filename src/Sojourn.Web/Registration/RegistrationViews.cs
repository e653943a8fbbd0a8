using System.Collections.Concurrent;
using Sojourn.Web.Access;

namespace Sojourn.Web.Registration;

/// <summary>Each role's <see cref="RegistrationView"/> from Access/access.json (fields, identity number, department basis).</summary>
internal sealed class RegistrationViews(AccessPolicy policy) : IRegistrationViews
{
    private readonly ConcurrentDictionary<string, RegistrationView> _views = new(StringComparer.Ordinal);

    public RegistrationView ViewOf(string? role) => role is null ? RegistrationView.Nothing : _views.GetOrAdd(role, Build);

    private RegistrationView Build(string role)
    {
        if (policy.ViewFor(role) is not { } view)
        {
            return RegistrationView.Nothing;
        }

        return new RegistrationView(
            new HashSet<string>(view.Fields, StringComparer.Ordinal),
            view.IdNumber == "full",
            view.Department is null ? null : view.BasisFor);
    }
}
