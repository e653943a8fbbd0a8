using Microsoft.EntityFrameworkCore;
using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Data;

namespace Sojourn.Application.Permits;

public sealed record GetPermitQuery(Guid PermitId);

/// <summary>
/// One permit, and its history (only appended, never changed), within the actor's reach (the data layer's filter);
/// each read is declared in the personal-data ledger as a read of the holder's data.
/// </summary>
public sealed class GetPermitUseCase(SojournDbContext db, PersonalDataLedger ledger)
{
    public async Task<Outcome<PermitDto>> HandleAsync(GetPermitQuery query, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(actor);
        var permit = await db.Permits.AsNoTracking().FirstOrDefaultAsync(p => p.Id == query.PermitId, cancellationToken);
        if (permit is null)
        {
            return PermitFailures.NotFound();
        }

        ledger.Read(PermitMapper.Person(permit), PermitMapper.DisclosedFields);
        return PermitMapper.ToDto(permit);
    }

    public async Task<Outcome<IReadOnlyList<PermitEventDto>>> HistoryAsync(GetPermitQuery query, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(actor);
        var permit = await db.Permits.AsNoTracking().Where(p => p.Id == query.PermitId)
            .Select(p => new { p.PersonIdHmac, p.ResidenceDivisionCode, p.RegistrationId }).FirstOrDefaultAsync(cancellationToken);
        if (permit is null)
        {
            return PermitFailures.NotFound();
        }

        var events = await db.PermitEvents.AsNoTracking().Where(e => e.PermitId == query.PermitId)
            .OrderBy(e => e.Number).ToListAsync(cancellationToken);
        ledger.Read(new PersonRef(permit.PersonIdHmac, permit.ResidenceDivisionCode, permit.RegistrationId), ["history"]);
        return Outcome.Success<IReadOnlyList<PermitEventDto>>([.. events.Select(PermitMapper.ToDto)]);
    }
}
