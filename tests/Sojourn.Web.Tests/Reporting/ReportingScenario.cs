using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Data.Reporting;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Reporting;

/// <summary>Builders for reporting tests: an establishment with a reporter account linked to it, and report bodies.</summary>
public static class ReportingScenario
{
    public const string Base = "/api/v1/reports";

    public static async Task<(HttpClient Client, Guid EstablishmentId, TestAccount Account)> ReporterAsync(
        this SojournAppFactory factory, string kind, string division = "140105", string partyKind = "organization")
    {
        ArgumentNullException.ThrowIfNull(factory);
        var account = await factory.CreateAsync("reporter", divisions: "", stations: "");
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var n = Guid.NewGuid().ToString("N")[..12];
        var e = Establishment.Create(Guid.CreateVersion7(), "T" + n, "测试单位" + n, kind, partyKind, division, null, $"太原市小店区测试路{n}号", DateTime.UtcNow);
        db.Establishments.Add(e);
        db.EstablishmentReporters.Add(new EstablishmentReporter { EstablishmentId = e.Id, AccountId = account.Id, LinkedAt = DateTime.UtcNow });
        await db.SaveChangesAsync();
        return (factory.ClientFor(account, purpose: false), e.Id, account);
    }

    /// <summary>An arrival body: the registration content of <see cref="TestData.Declaration"/> without the residence (the establishment's).</summary>
    public static JsonObject Arrival(Guid establishmentId, string occurredAt, string? idNumber = null)
    {
        var person = TestData.Declaration(idNumber: idNumber, arrivedOn: occurredAt[..10]);
        person.Remove("residenceDivision");
        person.Remove("residenceAddress");
        person.Remove("declarant");
        person.Remove("lodging");
        return new JsonObject { ["establishmentId"] = establishmentId.ToString(), ["kind"] = "arrival", ["occurredAt"] = occurredAt, ["person"] = person };
    }

    public static JsonObject Departure(Guid establishmentId, string occurredAt, string idNumber) =>
        new() { ["establishmentId"] = establishmentId.ToString(), ["kind"] = "departure", ["occurredAt"] = occurredAt, ["person"] = new JsonObject { ["idNumber"] = idNumber } };

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}
