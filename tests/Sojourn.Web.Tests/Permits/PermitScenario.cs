using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Permits;

/// <summary>A place whose policy the permit tests run under: residence division, station, policy id.</summary>
public sealed record PermitPlace(string PolicyId, string Division, string StationCode, string StationName)
{
    /// <summary>太原市小店区 (山西2017).</summary>
    public static readonly PermitPlace Shanxi = new("shanxi-2017", "140105", "140105000001", "亲贤派出所");

    /// <summary>济南市历下区 is under jinan-2023; 青岛市市南区 stays under the provincial 306号令.</summary>
    public static readonly PermitPlace Shandong = new("shandong-2017", "370202", "370202000001", "八大关派出所");

    /// <summary>台州市椒江区 (台政办发〔2016〕112号 over 浙江 and the national baseline).</summary>
    public static readonly PermitPlace Taizhou = new("taizhou-2016", "331002", "331002000001", "白云派出所");

    public static readonly TheoryData<string> All = new() { "shanxi", "shandong", "taizhou" };

    public static PermitPlace Named(string name) => name switch
    {
        "shanxi" => Shanxi,
        "shandong" => Shandong,
        "taizhou" => Taizhou,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    public override string ToString() => PolicyId;
}

/// <summary>
/// Builds the situation a permit application starts from: a person whose residence registration was
/// declared and confirmed by the station on a given day (the clock is moved there and left there).
/// </summary>
public static class PermitScenario
{
    /// <summary>An officer (with TOTP-free test token) of the place's station.</summary>
    public static Task<HttpClient> OfficerAsync(this SojournAppFactory factory, PermitPlace place) =>
        factory.ClientAsAsync("officer", place.Division, place.StationCode);

    /// <summary>Declares and confirms a stay on <paramref name="registeredOn"/>; returns the registration id and the identity number.</summary>
    public static async Task<(Guid RegistrationId, string IdNumber)> RegisteredAsync(
        this SojournAppFactory factory, HttpClient officer, PermitPlace place, DateOnly registeredOn, string? idNumber = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(officer);
        ArgumentNullException.ThrowIfNull(place);
        factory.Clock.SetToday(registeredOn);
        var declaration = TestData.Declaration(idNumber, place.Division, arrivedOn: registeredOn.AddDays(-2).ToString("yyyy-MM-dd"));
        var declared = await officer.PostAsJsonAsync("/api/v1/registrations", declaration);
        await Ensure(declared, HttpStatusCode.Created);
        var body = (await declared.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = Guid.Parse((string)body["id"]!);
        var confirmed = await officer.PostAsJsonAsync($"/api/v1/registrations/{id}/confirm", new
        {
            version = (int)body["version"]!,
            stationCode = place.StationCode,
            stationName = place.StationName,
            officerName = "李警官",
        });
        await Ensure(confirmed, HttpStatusCode.OK);
        return (id, (string)declaration["idNumber"]!);
    }

    /// <summary>Fails with the response body, so a wrong status says why.</summary>
    public static async Task Ensure(HttpResponseMessage response, HttpStatusCode expected)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode != expected)
        {
            throw new Xunit.Sdk.XunitException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
