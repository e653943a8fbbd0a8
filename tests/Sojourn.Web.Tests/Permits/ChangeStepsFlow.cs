using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Permits;
using Sojourn.Data.Registrations;
using Sojourn.Rules.Permits;
using Sojourn.Web.Access;
using Sojourn.Web.Access.Accounts;
using Sojourn.Web.Access.Audit;
using Sojourn.Web.Permits;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Permits;

/// <summary>
/// Helpers of the part-B permit tests (change, departure, cancellation, renewal, replacement, transitional):
/// clients whose tokens outlive the clock's moves, an issued permit through the part-A endpoints, and a
/// permit row written directly for policies the application flow does not reach (山西2013).
/// </summary>
public static class ChangeStepsFlow
{
    public const string Base = ApplyFlow.Base;

    public static PermitTerms Terms(PermitPlace place, DateOnly on) => ApplyFlow.Terms(place, on);

    /// <summary>A signed-in client whose token stays valid however far the test moves the clock.</summary>
    public static async Task<HttpClient> LongClientAsync(
        this SojournAppFactory factory, string role, string divisions, string stations, string? idNumber = null)
    {
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SojournUser>>();
        var protector = scope.ServiceProvider.GetRequiredService<Sojourn.Data.Security.IdentityProtector>();
        var user = new SojournUser
        {
            UserName = $"{role}-{Guid.NewGuid():N}",
            Role = role,
            Office = "测试机关",
            Divisions = divisions,
            Stations = stations,
            PersonIdHmac = idNumber is null ? null : protector.LookupHash(idNumber),
        };
        var created = await users.CreateAsync(user);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Code)));
        var tokens = scope.ServiceProvider.GetRequiredService<ApiTokenService>();
        var (token, _) = await tokens.IssueAsync(user, "test", TimeSpan.FromDays(40 * 365), CancellationToken.None);
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.Add(AuditRecorder.PurposeHeader, TestAccounts.Purpose);
        return client;
    }

    /// <summary>An officer of the place's county (all its stations).</summary>
    public static Task<HttpClient> CountyOfficerAsync(this SojournAppFactory factory, PermitPlace place, string role = Roles.Officer) =>
        factory.LongClientAsync(role, place.Division, place.StationCode);

    /// <summary>Declared by <paramref name="declarer"/> and confirmed by <paramref name="officer"/> at a station on <paramref name="on"/>.</summary>
    public static async Task<(Guid RegistrationId, string IdNumber)> RegisteredAsync(
        this SojournAppFactory factory, HttpClient declarer, HttpClient officer, string division, string stationCode, string stationName,
        DateOnly on, string? idNumber = null)
    {
        factory.Clock.SetToday(on);
        var declaration = TestData.Declaration(idNumber, division, arrivedOn: ApplyFlow.Iso(on.AddDays(-2)));
        declaration["children"] = new JsonArray(); // the sample child is born in 2018; some tests live in 2016
        var declared = await declarer.PostAsJsonAsync("/api/v1/registrations", declaration);
        await PermitScenario.Ensure(declared, HttpStatusCode.Created);
        var body = (await declared.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = Guid.Parse((string)body["id"]!);
        var confirmed = await officer.PostAsJsonAsync($"/api/v1/registrations/{id}/confirm", new
        {
            version = (int)body["version"]!,
            stationCode,
            stationName,
            officerName = "李警官",
        });
        await PermitScenario.Ensure(confirmed, HttpStatusCode.OK);
        return (id, (string)declaration["idNumber"]!);
    }

    /// <summary>A person registered a year before <paramref name="issueOn"/>, who applied and got the permit on that day.</summary>
    public static async Task<(JsonObject Permit, Guid RegistrationId, string IdNumber)> IssuedAsync(
        this SojournAppFactory factory, HttpClient officer, PermitPlace place, DateOnly issueOn, HttpClient? declarer = null)
    {
        var (registrationId, idNumber) = await factory.RegisteredAsync(
            declarer ?? officer, officer, place.Division, place.StationCode, place.StationName, issueOn.AddYears(-1));
        factory.Clock.SetToday(issueOn);
        var applied = await officer.PostAsJsonAsync(Base, ApplyFlow.Application(registrationId, place, issueOn));
        await PermitScenario.Ensure(applied, HttpStatusCode.Created);
        var permit = await ApplyFlow.Json(applied);
        var approved = await officer.PostAsJsonAsync($"{Base}/{permit["id"]}/approve", new { version = (int)permit["version"]! });
        await PermitScenario.Ensure(approved, HttpStatusCode.OK);
        return (await ApplyFlow.Json(approved), registrationId, idNumber);
    }

    /// <summary>
    /// A valid permit row written directly (as approval would) under a named policy: for 山西2013, whose years the
    /// application flow's eligibility does not cover. Dates come from the lifecycle terms of that policy.
    /// </summary>
    public static async Task<Guid> InsertIssuedAsync(this SojournAppFactory factory, Guid registrationId, DateOnly issuedOn, string policyId)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var registration = await db.Registrations.SingleAsync(r => r.Id == registrationId);
        var record = (await db.RegistrationVersions.AsNoTracking().Where(v => v.RegistrationId == registrationId)
            .OrderByDescending(v => v.Number).FirstAsync()).Record;
        var lifecycle = PermitLifecycle.Default;
        var terms = lifecycle.Terms(registration.ResidenceDivisionCode, issuedOn, policyId)!;
        var window = lifecycle.Endorsement(terms, issuedOn, 1);
        var permit = Permit.AsItWas(PermitKind.FirstIssue, PermitHolder.From(record), PermitResidence.From(registration, record),
            registration.ResidenceDivisionCode[..6], "太原市公安局小店分局",
            new PermitApplication(terms.PolicyId, issuedOn, lifecycle.IssueDue(terms, registration.ResidenceDivisionCode, issuedOn, remote: false)),
            new PermitIssue(PermitStatus.Valid)
            {
                Version = 1,
                PermitNumber = await CertificateNumbers.NextPermitAsync(db, registration.ResidenceDivisionCode, issuedOn.Year, CancellationToken.None),
                DecidedOn = issuedOn,
                IssuedOn = issuedOn,
                ValidUntil = lifecycle.ValidUntil(terms, issuedOn),
                EndorsementAnchor = issuedOn,
                EndorsementOpens = window.Opens,
                EndorsementDue = window.Due,
                ResidenceCountsFrom = issuedOn,
            }, DateTime.UtcNow, "test");
        db.Permits.Add(permit);
        db.PermitEvents.Add(new PermitEvent
        {
            Id = Guid.NewGuid(),
            PermitId = permit.Id,
            Number = 1,
            Kind = PermitEventKind.Issued,
            StatusAfter = PermitStatus.Valid,
            EffectiveOn = issuedOn,
            At = DateTime.UtcNow,
            Actor = "test",
            ActorRole = "system",
            Basis = terms.Validity?.Basis,
            ResidenceDivisionCode = permit.ResidenceDivisionCode,
        });
        await db.SaveChangesAsync();
        return permit.Id;
    }

    /// <summary>POSTs a step with the permit's current version (read fresh, so a test need not track it).</summary>
    public static async Task<HttpResponseMessage> StepAsync(this HttpClient client, HttpClient reader, object permitId, string step, JsonObject? body = null)
    {
        var current = await reader.GetAsync($"{Base}/{permitId}");
        await PermitScenario.Ensure(current, HttpStatusCode.OK);
        var request = body ?? [];
        request["version"] = (int)(await ApplyFlow.Json(current))["version"]!;
        return await client.PostAsJsonAsync($"{Base}/{permitId}/{step}", request);
    }

    public static async Task<JsonObject> GetAsync(this HttpClient client, object permitId)
    {
        var response = await client.GetAsync($"{Base}/{permitId}");
        await PermitScenario.Ensure(response, HttpStatusCode.OK);
        return await ApplyFlow.Json(response);
    }

    public static async Task<JsonArray> HistoryAsync(this HttpClient client, object permitId)
    {
        var response = await client.GetAsync($"{Base}/{permitId}/history");
        await PermitScenario.Ensure(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonArray>())!;
    }

    public static async Task<JsonObject> OkJsonAsync(this Task<HttpResponseMessage> call, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await call;
        await PermitScenario.Ensure(response, expected);
        return await ApplyFlow.Json(response);
    }

    /// <summary>The error code of a problem response, after checking its status.</summary>
    public static async Task<JsonObject> ProblemAsync(this Task<HttpResponseMessage> call, HttpStatusCode expected, int errorCode)
    {
        var response = await call;
        await PermitScenario.Ensure(response, expected);
        var body = await ApplyFlow.Json(response);
        Assert.Equal(errorCode, (int)body["errorCode"]!);
        return body;
    }

    public static JsonObject Last(JsonArray history, string kind) =>
        history.Last(e => (string?)e!["kind"] == kind)!.AsObject();
}
