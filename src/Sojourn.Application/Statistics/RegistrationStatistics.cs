using Microsoft.EntityFrameworkCore;
using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Data;

namespace Sojourn.Application.Statistics;

/// <summary>One cell: registrations of a division in a status; a count under the minimum cell size is withheld.</summary>
internal sealed record StatisticsRow(string Division, string Status, int? Count, bool Suppressed);

/// <summary>The counts over the actor's divisions; cells under <paramref name="MinCellSize"/> are suppressed (small counts could name a person).</summary>
internal sealed record RegistrationStatisticsQuery(int MinCellSize);

/// <summary>
/// Registration counts by division and status over the actor's divisions, for analysts and station chiefs: counts
/// only, so the registration table is read without the per-person filter and no person's data is declared.
/// The API endpoint and the statistics page call this.
/// </summary>
internal sealed class RegistrationStatisticsUseCase(SojournDbContext db)
{
    public async Task<Outcome<IReadOnlyList<StatisticsRow>>> HandleAsync(RegistrationStatisticsQuery query, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(actor);
        var divisions = actor.Scope.Divisions.ToList();
        var rows = await db.Registrations.IgnoreQueryFilters().AsNoTracking()
            .Where(r => divisions.Any(d => EF.Functions.Like(r.ResidenceDivisionCode, d + "%")))
            .GroupBy(r => new { r.ResidenceDivisionCode, r.Status })
            .Select(g => new { g.Key.ResidenceDivisionCode, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var min = query.MinCellSize;
        return rows.OrderBy(r => r.ResidenceDivisionCode, StringComparer.Ordinal).ThenBy(r => r.Status, StringComparer.Ordinal)
            .Select(r => new StatisticsRow(r.ResidenceDivisionCode, r.Status, r.Count < min ? null : r.Count, r.Count < min))
            .ToList();
    }
}
