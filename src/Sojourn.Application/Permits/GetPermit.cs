using Microsoft.EntityFrameworkCore;
using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Data;

namespace Sojourn.Application.Permits;

internal sealed record GetPermitQuery(Guid PermitId);

/// <summary>The station's list: optionally one status, a 1-based page and its size (default 50, at most 200).</summary>
internal sealed record ListPermitsQuery(string? Status, int? Page, int? PageSize);

/// <summary>One page of permits.</summary>
internal sealed record PermitPage(IReadOnlyList<PermitDto> Items, int Page, int PageSize, int Total);

/// <summary>
/// One permit, and its history (only appended, never changed), within the actor's reach (the data layer's filter);
/// each read is declared in the personal-data ledger as a read of the holder's data.
/// </summary>
internal sealed class GetPermitUseCase(SojournDbContext db, PersonalDataLedger ledger)
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

    /// <summary>The permits in the actor's reach, the nearest issuance or endorsement deadline first (the review queue).</summary>
    public async Task<Outcome<PermitPage>> ListAsync(ListPermitsQuery query, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(actor);
        var size = Math.Clamp(query.PageSize ?? 50, 1, 200);
        var number = Math.Max(query.Page ?? 1, 1);
        var rows = db.Permits.AsNoTracking();
        if (!string.IsNullOrEmpty(query.Status))
        {
            rows = rows.Where(p => p.Status == query.Status);
        }

        // Computed in 64 bits and capped: a huge page number is an empty page past the end, never a wrapped offset.
        var skip = (int)Math.Clamp((number - 1L) * size, 0, int.MaxValue);
        var items = await rows.OrderBy(p => p.Status == Data.Permits.PermitStatus.Applied ? p.IssueDue : p.EndorsementDue)
            .ThenBy(p => p.Id)
            .Skip(skip).Take(size).ToListAsync(cancellationToken);
        var total = await rows.CountAsync(cancellationToken);
        foreach (var permit in items)
        {
            ledger.Declare(DataAction.List, PermitMapper.Person(permit), PermitMapper.DisclosedFields);
        }

        return new PermitPage([.. items.Select(PermitMapper.ToDto)], number, size, total);
    }

    /// <summary>
    /// The permits and applications of the person of one registration, newest first, as far as the actor's reach
    /// lets them be seen; each declared as read.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<PermitDto>>> OfPersonAsync(Guid registrationId, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var hash = await db.Registrations.AsNoTracking().Where(r => r.Id == registrationId).Select(r => r.PersonIdHmac).FirstOrDefaultAsync(cancellationToken);
        if (hash is null)
        {
            return PermitFailures.NotFound();
        }

        var items = await db.Permits.AsNoTracking().Where(p => p.PersonIdHmac == hash).OrderByDescending(p => p.CreatedAt).Take(50).ToListAsync(cancellationToken);
        foreach (var permit in items)
        {
            ledger.Read(PermitMapper.Person(permit), PermitMapper.DisclosedFields);
        }

        return Outcome.Success<IReadOnlyList<PermitDto>>([.. items.Select(PermitMapper.ToDto)]);
    }

    /// <summary>A migrant's own permits and applications, newest first (the data layer's filter keeps it to their own).</summary>
    public async Task<Outcome<IReadOnlyList<PermitDto>>> MineAsync(CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var items = await db.Permits.AsNoTracking().OrderByDescending(p => p.CreatedAt).Take(50).ToListAsync(cancellationToken);
        foreach (var permit in items)
        {
            ledger.Read(PermitMapper.Person(permit), PermitMapper.DisclosedFields);
        }

        return Outcome.Success<IReadOnlyList<PermitDto>>([.. items.Select(PermitMapper.ToDto)]);
    }
}
