using Sojourn.Application.Actors;

namespace Sojourn.Application.Registrations;

/// <summary>
/// A role's field view as a screen explains it before any record is read: the fields it shows and hides, whether
/// identity numbers are masked, and for a department the articles that give it access in its own jurisdiction today.
/// </summary>
internal sealed record FieldViewDto(
    string Role, IReadOnlyList<string> Shown, IReadOnlyList<string> Hidden, bool FullIdNumber, string? Division, string? Basis);

/// <summary>Describes the caller's own field view; it names no person, so it reads nothing personal.</summary>
internal sealed class RegistrationFieldViews(IRegistrationViews views, Time.ILegalClock clock)
{
    public Task<FieldViewDto> DescribeAsync(CurrentActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var view = views.ViewOf(actor.Role);
        var division = actor.Scope.Divisions.Count > 0 ? actor.Scope.Divisions[0] : null;
        var basis = division is null ? null : view.DepartmentBasis?.Invoke(division, clock.Today);
        return Task.FromResult(new FieldViewDto(
            actor.Role,
            view.Disclosed,
            [.. RegistrationView.AllFields.Where(f => !view.Shows(f))],
            view.FullIdNumber,
            division,
            basis));
    }
}
