using Microsoft.EntityFrameworkCore;
using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Data;
using Sojourn.Data.Access;

namespace Sojourn.Application.Reporting;

/// <summary>A room a landlord's report may name: its house's code and address, and its number.</summary>
internal sealed record ReportRoomDto(Guid Id, string HouseCode, string HouseAddress, string Number);

/// <summary>The rooms of the houses an establishment lets (宁夏 第十条), for the reporter portal's room picker.</summary>
internal sealed class ReporterRooms(SojournDbContext db)
{
    public async Task<Outcome<IReadOnlyList<ReportRoomDto>>> RoomsAsync(Guid establishmentId, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var account = actor.AccountId;
        var linked = actor.Scope.Reach == ActorReach.System
            || await db.EstablishmentReporters.AnyAsync(l => l.EstablishmentId == establishmentId && l.AccountId == account, cancellationToken);
        if (!linked)
        {
            return Failure.Of(ErrorCode.EstablishmentNotYours, "Error_EstablishmentNotYours_Detail");
        }

        var rooms = await (from h in db.Houses.AsNoTracking()
                           join r in db.Rooms.AsNoTracking() on h.Id equals r.HouseId
                           where h.LandlordId == establishmentId
                           orderby h.Code, r.Number
                           select new ReportRoomDto(r.Id, h.Code, h.Address, r.Number)).ToListAsync(cancellationToken);
        return rooms;
    }
}
