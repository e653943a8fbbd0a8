using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Reporting;
using Sojourn.Web.Tests.Infrastructure;
using Sojourn.Web.Tests.Reporting;

namespace Sojourn.Web.Tests.Houses;

/// <summary>The house view (以房找人、以人找房) over HTTP: residents now and before with dates, audited, within the jurisdiction.</summary>
public abstract class HouseViewTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    [SkippableFact]
    public async Task House_ShowsRoomsLandlordCurrentAndFormerResidents_AndAuditsEachPersonListed()
    {
        var (reporter, landlordId, _) = await Factory.ReporterAsync(EstablishmentKind.Landlord, partyKind: "individual");
        var (house, rooms) = await HouseOfAsync(landlordId);
        var current = TestData.NewIdNumber();
        var former = TestData.NewIdNumber();
        var arrival = ReportingScenario.Arrival(landlordId, "2026-06-01", current);
        arrival["roomId"] = rooms["101"].ToString();
        Assert.Equal(HttpStatusCode.Created, (await reporter.PostAsJsonAsync(ReportingScenario.Base, arrival)).StatusCode);
        var left = ReportingScenario.Arrival(landlordId, "2026-05-01", former);
        left["roomId"] = rooms["102"].ToString();
        Assert.Equal(HttpStatusCode.Created, (await reporter.PostAsJsonAsync(ReportingScenario.Base, left)).StatusCode);
        var departure = ReportingScenario.Departure(landlordId, "2026-05-20", former);
        departure["roomId"] = rooms["102"].ToString();
        var departed = await ReportingScenario.JsonAsync(await reporter.PostAsJsonAsync(ReportingScenario.Base, departure));
        Assert.True((bool)departed["stayEnded"]!);
        using var officer = await Factory.ClientAsAsync(Roles.Officer, "140105", "140105000001");

        var found = await Json(await officer.GetAsync($"/api/v1/houses?q={Uri.EscapeDataString(house.Code)}"));
        var byAddress = await Json(await officer.GetAsync($"/api/v1/houses?q={Uri.EscapeDataString(house.Address[^8..])}"));
        var view = await Json(await officer.GetAsync($"/api/v1/houses/{house.Id}"));

        Assert.Equal(house.Id.ToString(), (string?)Assert.Single(found.AsArray())!["id"]);
        Assert.Contains(byAddress.AsArray(), h => (string?)h!["id"] == house.Id.ToString());
        Assert.Equal(["101", "102", "201"], view["rooms"]!.AsArray().Select(r => (string?)r));
        Assert.Equal(landlordId.ToString(), (string?)view["landlord"]!["id"]);
        var now = Assert.Single(view["current"]!.AsArray())!;
        Assert.Equal("101", (string?)now["room"]);
        Assert.Equal("2026-06-01", (string?)now["arrivedOn"]);
        Assert.Equal(current[..4] + "**********" + current[^4..], (string?)now["idNumber"]);
        var before = Assert.Single(view["former"]!.AsArray())!;
        Assert.Equal("102", (string?)before["room"]);
        Assert.Equal("2026-05-01", (string?)before["arrivedOn"]);
        Assert.Equal("2026-05-20", (string?)before["departedOn"]);
        Assert.DoesNotContain(current, view.ToJsonString(), StringComparison.Ordinal);

        // 以人找房: from the former tenant's stay, where they lived, in which house and room, with dates.
        var places = await Json(await officer.GetAsync($"/api/v1/registrations/{before["registrationId"]}/places"));
        var place = Assert.Single(places.AsArray())!;
        Assert.Equal(house.Code, (string?)place["houseCode"]);
        Assert.Equal("102", (string?)place["room"]);
        Assert.Equal("2026-05-20", (string?)place["departedOn"]);

        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var listed = await db.AuditEntries.AsNoTracking().Where(e => e.Operation == "GetHouse").Select(e => e.RegistrationId).ToListAsync();
        Assert.Contains(Guid.Parse((string)now["registrationId"]!), listed.OfType<Guid>());
        Assert.Contains(Guid.Parse((string)before["registrationId"]!), listed.OfType<Guid>());
    }

    [SkippableFact]
    public async Task House_OfAnotherStation_IsNotFoundAndNotListed()
    {
        var (reporter, landlordId, _) = await Factory.ReporterAsync(EstablishmentKind.Landlord, partyKind: "individual");
        var (house, rooms) = await HouseOfAsync(landlordId);
        var arrival = ReportingScenario.Arrival(landlordId, "2026-06-01");
        arrival["roomId"] = rooms["201"].ToString();
        var reported = await ReportingScenario.JsonAsync(await reporter.PostAsJsonAsync(ReportingScenario.Base, arrival));
        using var other = await Factory.ClientAsAsync(Roles.Officer, "650102", "650102000001");

        var search = await other.GetAsync($"/api/v1/houses?q={Uri.EscapeDataString(house.Code)}");
        var get = await other.GetAsync($"/api/v1/houses/{house.Id}");
        var places = await other.GetAsync($"/api/v1/registrations/{reported["registrationId"]}/places");

        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        Assert.Empty((await Json(search)).AsArray());
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(73001, (int)(await Json(get))["errorCode"]!);
        Assert.Equal(HttpStatusCode.NotFound, places.StatusCode);
    }

    [SkippableFact]
    public async Task Search_WithoutPurposeOrWithHostileText_IsRefused()
    {
        var account = await Factory.CreateAsync(Roles.Officer);
        using var noPurpose = Factory.ClientFor(account, purpose: false);
        using var officer = Factory.ClientFor(account);

        Assert.Equal(HttpStatusCode.BadRequest, (await noPurpose.GetAsync("/api/v1/houses?q=88")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.GetAsync("/api/v1/houses?q=" + new string('号', 101))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await officer.GetAsync("/api/v1/houses")).StatusCode);
        var wildcard = await officer.GetAsync("/api/v1/houses?q=%25");
        Assert.Equal(HttpStatusCode.OK, wildcard.StatusCode);
        Assert.Empty((await Json(wildcard)).AsArray());
    }

    private async Task<(House House, Dictionary<string, Guid> Rooms)> HouseOfAsync(Guid landlordId)
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var landlord = await db.Establishments.SingleAsync(e => e.Id == landlordId);
        var house = new House
        {
            Id = Guid.CreateVersion7(),
            Code = "H" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant(),
            DivisionCode = landlord.DivisionCode,
            Address = landlord.Address,
            LandlordId = landlord.Id,
            CreatedAt = DateTime.UtcNow,
        };
        db.Houses.Add(house);
        var rooms = new[] { "101", "102", "201" }.ToDictionary(n => n, _ => Guid.CreateVersion7());
        db.Rooms.AddRange(rooms.Select(r => new Room { Id = r.Value, HouseId = house.Id, Number = r.Key }));
        await db.SaveChangesAsync();
        return (house, rooms);
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<JsonNode>())!;
}

public sealed class SqliteHouseViewTests(SqliteAppFixture fixture)
    : HouseViewTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresHouseViewTests(PostgresAppFixture fixture)
    : HouseViewTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
