using Microsoft.EntityFrameworkCore;
using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Application.Registrations;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Registrations;
using Sojourn.Data.Reporting;

namespace Sojourn.Application.Houses;

/// <summary>One house found by a search: its code, address, landlord and how many people live there now.</summary>
internal sealed record HouseSummaryDto(Guid Id, string Code, string Address, string DivisionCode, string? LandlordName, int Rooms);

internal sealed record HouseLandlordDto(Guid Id, string Code, string Name, string Kind, string PartyKind, string Address);

/// <summary>A stay at a house: who (name, masked number), which room, from when to when.</summary>
internal sealed record HouseResidentDto(
    Guid RegistrationId, string Name, string IdNumber, string? Room, DateOnly ArrivedOn, DateOnly? DepartedOn, string Status);

/// <summary>以房找人: a house, its rooms and landlord, who lives there now and who lived there before.</summary>
internal sealed record HouseDto(
    Guid Id, string Code, string Address, string DivisionCode, HouseLandlordDto? Landlord, IReadOnlyList<string> Rooms,
    IReadOnlyList<HouseResidentDto> Current, IReadOnlyList<HouseResidentDto> Former);

/// <summary>以人找房: one place a person has lived (a house where the address is a registered one), with dates.</summary>
internal sealed record PersonPlaceDto(
    Guid RegistrationId, Guid? HouseId, string? HouseCode, string Address, string? Room, string DivisionCode, DateOnly ArrivedOn,
    DateOnly? DepartedOn, string Status);

internal sealed record HouseSearchQuery(string? Text, int? Take);

/// <summary>
/// The house view (以房找人、以人找房; 宁夏 第十条 居住类建筑物逐一登记编号): officials only, within their jurisdiction.
/// Houses carry no query filter of their own, so the reach is checked here with the same test as the registrations'
/// filter (<see cref="ActorScope.CoversResidence"/>); the people are read through the registrations, which the
/// filter bounds. A person lives at a house when their stay's address is the house's address (a room or flat of it)
/// or a report placed them in one of its rooms. Every person listed is declared in the ledger.
/// </summary>
internal sealed class HouseUseCases(SojournDbContext db, PersonalDataLedger ledger)
{
    private const int MaxTake = 50;
    private const int MaxText = 100;
    private static readonly string[] ResidentFields = ["name", "idNumber", "residenceAddress", "arrivedOn"];

    public async Task<Outcome<IReadOnlyList<HouseSummaryDto>>> SearchAsync(HouseSearchQuery query, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(actor);
        if (Refused(actor) is { } refused)
        {
            return refused;
        }

        var text = query.Text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return Failure.Validation("q", Messages.Format("Field_Required", Messages.Get("Label_HouseSearch")));
        }

        if (text.Length > MaxText)
        {
            return Failure.Validation("q", Messages.Format("Field_TooLong", Messages.Get("Label_HouseSearch"), MaxText));
        }

        var take = query.Take ?? 20;
        if (take is < 1 or > MaxTake)
        {
            return Failure.Validation("take", Messages.Format("Page_SizeRange", MaxTake));
        }

        var code = text.ToUpperInvariant();
        var pattern = "%" + Escape(text) + "%";
        var houses = await InReach(db.Houses.AsNoTracking(), actor)
            .Where(h => h.Code == code || EF.Functions.Like(h.Address, pattern, "\\"))
            .OrderBy(h => h.Address).ThenBy(h => h.Code).Take(take)
            .Select(h => new
            {
                House = h,
                Landlord = db.Establishments.Where(e => e.Id == h.LandlordId).Select(e => e.Name).FirstOrDefault(),
                Rooms = db.Rooms.Count(r => r.HouseId == h.Id),
            })
            .ToListAsync(cancellationToken);
        return Outcome.Success<IReadOnlyList<HouseSummaryDto>>(
            [.. houses.Select(x => new HouseSummaryDto(x.House.Id, x.House.Code, x.House.Address, x.House.DivisionCode, x.Landlord, x.Rooms))]);
    }

    public async Task<Outcome<HouseDto>> GetAsync(Guid id, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (Refused(actor) is { } refused)
        {
            return refused;
        }

        var house = await InReach(db.Houses.AsNoTracking(), actor).FirstOrDefaultAsync(h => h.Id == id, cancellationToken);
        if (house is null)
        {
            return NotFound();
        }

        var landlord = house.LandlordId is { } landlordId
            ? await db.Establishments.AsNoTracking().Where(e => e.Id == landlordId)
                .Select(e => new HouseLandlordDto(e.Id, e.Code, e.Name, e.Kind, e.PartyKind, e.Address)).FirstOrDefaultAsync(cancellationToken)
            : null;
        var rooms = await db.Rooms.AsNoTracking().Where(r => r.HouseId == house.Id).ToListAsync(cancellationToken);
        var roomIds = rooms.Select(r => r.Id).ToList();
        var prefix = Registration.AddressKey(house.DivisionCode, house.Address);

        // The stays at the address (the registrations' jurisdiction filter applies) and those a report placed in a room.
        var reported = await db.ThirdPartyReports.AsNoTracking()
            .Where(r => r.RoomId != null && roomIds.Contains(r.RoomId.Value) && r.RegistrationId != null)
            .Select(r => new { RegistrationId = r.RegistrationId!.Value, RoomId = r.RoomId!.Value })
            .ToListAsync(cancellationToken);
        var reportedIds = reported.Select(r => r.RegistrationId).Distinct().ToList();
        var stays = await db.Registrations.AsNoTracking()
            .Where(r => r.ResidenceAddressKey.StartsWith(prefix) || reportedIds.Contains(r.Id))
            .OrderByDescending(r => r.ArrivedOn).ThenBy(r => r.Id)
            .Take(500)
            .ToListAsync(cancellationToken);

        var residents = new List<HouseResidentDto>();
        foreach (var s in stays)
        {
            var roomId = reported.FirstOrDefault(r => r.RegistrationId == s.Id)?.RoomId;
            var room = roomId is { } rid ? rooms.First(r => r.Id == rid).Number : RoomOf(prefix, s.ResidenceAddressKey);
            residents.Add(new HouseResidentDto(s.Id, s.PersonName, s.PersonIdMasked, room, s.ArrivedOn, s.DepartedOn, s.Status));
            ledger.Declare(DataAction.List, new PersonRef(s.PersonIdHmac, s.ResidenceDivisionCode, s.Id), ResidentFields);
        }

        return new HouseDto(house.Id, house.Code, house.Address, house.DivisionCode, landlord,
            [.. rooms.Select(r => r.Number).Order(StringComparer.Ordinal)],
            [.. residents.Where(r => r.Status != RegistrationStatus.Ended)],
            [.. residents.Where(r => r.Status == RegistrationStatus.Ended).OrderByDescending(r => r.DepartedOn ?? r.ArrivedOn)]);
    }

    /// <summary>以人找房: every stay of the person of one registration the official can see, with the house it was in, if registered.</summary>
    public async Task<Outcome<IReadOnlyList<PersonPlaceDto>>> PlacesOfPersonAsync(Guid registrationId, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (Refused(actor) is { } refused)
        {
            return refused;
        }

        var hash = await db.Registrations.AsNoTracking().Where(r => r.Id == registrationId).Select(r => r.PersonIdHmac).FirstOrDefaultAsync(cancellationToken);
        if (hash is null)
        {
            return RegistrationFailures.NotFound();
        }

        var stays = await (
                from r in db.Registrations.AsNoTracking()
                where r.PersonIdHmac == hash
                join v in db.RegistrationVersions.AsNoTracking() on new { Id = r.Id, Number = r.Version } equals new { Id = v.RegistrationId, v.Number }
                orderby r.ArrivedOn descending
                select new { Stay = r, v.Record.ResidenceAddress })
            .ToListAsync(cancellationToken);
        var stayIds = stays.Select(s => s.Stay.Id).ToList();
        var divisions = stays.Select(s => s.Stay.ResidenceDivisionCode).Distinct().ToList();
        var reported = await db.ThirdPartyReports.AsNoTracking()
            .Where(r => r.RegistrationId != null && stayIds.Contains(r.RegistrationId.Value) && r.RoomId != null)
            .Select(r => new { RegistrationId = r.RegistrationId!.Value, RoomId = r.RoomId!.Value })
            .ToListAsync(cancellationToken);
        var reportedRooms = reported.Select(r => r.RoomId).Distinct().ToList();
        var rooms = await db.Rooms.AsNoTracking().Where(r => reportedRooms.Contains(r.Id)).ToListAsync(cancellationToken);
        var roomHouses = rooms.Select(r => r.HouseId).Distinct().ToList();
        var houses = await InReach(db.Houses.AsNoTracking(), actor)
            .Where(h => divisions.Contains(h.DivisionCode) || roomHouses.Contains(h.Id))
            .ToListAsync(cancellationToken);

        var places = new List<PersonPlaceDto>();
        foreach (var s in stays)
        {
            var room = reported.FirstOrDefault(r => r.RegistrationId == s.Stay.Id) is { } link ? rooms.FirstOrDefault(r => r.Id == link.RoomId) : null;
            var house = room is not null
                ? houses.FirstOrDefault(h => h.Id == room.HouseId)
                : houses.Where(h => s.Stay.ResidenceAddressKey.StartsWith(Registration.AddressKey(h.DivisionCode, h.Address), StringComparison.Ordinal))
                    .MaxBy(h => h.Address.Length);
            var roomNumber = room?.Number ?? (house is null ? null : RoomOf(Registration.AddressKey(house.DivisionCode, house.Address), s.Stay.ResidenceAddressKey));
            places.Add(new PersonPlaceDto(s.Stay.Id, house?.Id, house?.Code, s.ResidenceAddress, roomNumber, s.Stay.ResidenceDivisionCode,
                s.Stay.ArrivedOn, s.Stay.DepartedOn, s.Stay.Status));
            ledger.Read(new PersonRef(s.Stay.PersonIdHmac, s.Stay.ResidenceDivisionCode, s.Stay.Id), ["residenceAddress", "arrivedOn", "departedOn"]);
        }

        return places;
    }

    /// <summary>The houses an official may see (the registrations' test); trusted code sees all.</summary>
    private IQueryable<House> InReach(IQueryable<House> houses, CurrentActor actor)
    {
        if (actor.Scope.Reach == ActorReach.System)
        {
            return houses;
        }

        // In their divisions, or let by a landlord their station answers for (as a stay is by its station).
        List<string> divisions = [.. actor.Scope.Divisions];
        List<string> stations = [.. actor.Scope.Stations];
        return houses.Where(h => divisions.Any(d => EF.Functions.Like(h.DivisionCode, d + "%"))
            || db.Establishments.Any(e => e.Id == h.LandlordId && e.StationCode != null && stations.Contains(e.StationCode)));
    }

    /// <summary>Only officials with a jurisdiction (and trusted code) use the house view; the access table says which roles.</summary>
    private static Failure? Refused(CurrentActor actor) =>
        actor.Scope.Reach is ActorReach.System or ActorReach.Jurisdiction ? null : Failure.Of(ErrorCode.HouseNotFound, "Error_HouseNotFound_Detail");

    /// <summary>The rest of the stay's address after the house's (<c>101室</c> → <c>101</c>), or null at the house itself.</summary>
    private static string? RoomOf(string houseKey, string stayKey)
    {
        if (!stayKey.StartsWith(houseKey, StringComparison.Ordinal) || stayKey.Length == houseKey.Length)
        {
            return null;
        }

        var rest = stayKey[houseKey.Length..];
        return rest.EndsWith('室') ? rest[..^1] : rest;
    }

    private static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static Failure NotFound() => Failure.Of(ErrorCode.HouseNotFound, "Error_HouseNotFound_Detail");
}
