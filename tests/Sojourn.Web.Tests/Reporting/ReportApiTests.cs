using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Data.Registrations;
using Sojourn.Data.Reporting;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Reporting;

/// <summary>Single reports of arrival and departure: timeliness from the policy, pending registration, departure, repeats, reach.</summary>
public abstract class ReportApiTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    [SkippableFact]
    public async Task Submit_LandlordArrivalWithinTenDays_MetUnderShanxi14WithEngineStampAndPendingRegistration()
    {
        var (client, establishment, _) = await Factory.ReporterAsync(EstablishmentKind.Landlord, partyKind: "individual");
        var id = TestData.NewIdNumber();

        var response = await client.PostAsJsonAsync(ReportingScenario.Base, ReportingScenario.Arrival(establishment, "2026-06-10T20:00", id));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await ReportingScenario.JsonAsync(response);
        var t = body["timeliness"]!;
        Assert.Equal("landlord.report-tenant", (string?)t["dutyId"]);
        Assert.Equal("met", (string?)t["status"]);
        Assert.Equal("shanxi-2017#14", (string?)t["basis"]);
        Assert.Contains("shanxi-2017", (string?)t["engine"], StringComparison.Ordinal);
        Assert.True((bool)body["registrationCreated"]!);
        Assert.DoesNotContain(id, body.ToJsonString(), StringComparison.Ordinal);
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var registration = await db.Registrations.SingleAsync(r => r.Id == Guid.Parse((string)body["registrationId"]!));
        Assert.Equal(RegistrationStatus.Declared, registration.Status);
    }

    [SkippableFact]
    public async Task Submit_HireReportedAfterTenDays_LateUnderShanxi15()
    {
        var (client, establishment, _) = await Factory.ReporterAsync(EstablishmentKind.Employer);

        var body = ReportingScenario.Arrival(establishment, "2026-05-01");
        body["person"]!["lodging"] = "employer-dormitory";

        var response = await client.PostAsJsonAsync(ReportingScenario.Base, body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var t = (await ReportingScenario.JsonAsync(response))["timeliness"]!;
        Assert.Equal("employer.report-hire", (string?)t["dutyId"]);
        Assert.Equal("late", (string?)t["status"]);
        Assert.Equal("2026-05-11", (string?)t["due"]);
        Assert.Equal("shanxi-2017#15", (string?)t["basis"]);
    }

    [SkippableFact]
    public async Task Submit_SameReportTwice_SecondCreatesNothing()
    {
        var (client, establishment, account) = await Factory.ReporterAsync(EstablishmentKind.Landlord);
        var id = TestData.NewIdNumber();
        var body = ReportingScenario.Arrival(establishment, "2026-06-12", id);

        var first = await client.PostAsJsonAsync(ReportingScenario.Base, body);
        var second = await client.PostAsJsonAsync(ReportingScenario.Base, body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True((bool)(await ReportingScenario.JsonAsync(second))["repeated"]!);
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        Assert.Equal(1, await db.ThirdPartyReports.CountAsync(r => r.EstablishmentId == establishment));
        Assert.Equal(1, await db.Registrations.CountAsync(r => EF.Property<string>(r, SojournDbContext.DeclaredByProperty) == account.Id));
    }

    [SkippableFact]
    public async Task Submit_DepartureAfterArrival_EndsTheStay()
    {
        var (client, establishment, _) = await Factory.ReporterAsync(EstablishmentKind.Landlord);
        var id = TestData.NewIdNumber();
        var arrival = await ReportingScenario.JsonAsync(await client.PostAsJsonAsync(ReportingScenario.Base, ReportingScenario.Arrival(establishment, "2026-06-01", id)));

        var response = await client.PostAsJsonAsync(ReportingScenario.Base, ReportingScenario.Departure(establishment, "2026-06-14", id));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await ReportingScenario.JsonAsync(response);
        Assert.True((bool)body["stayEnded"]!);
        Assert.Equal("landlord.report-departure", (string?)body["timeliness"]!["dutyId"]);
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var registration = await db.Registrations.SingleAsync(r => r.Id == Guid.Parse((string)arrival["registrationId"]!));
        Assert.Equal(RegistrationStatus.Ended, registration.Status);
        Assert.Equal(new DateOnly(2026, 6, 14), registration.DepartedOn);
    }

    [SkippableFact]
    public async Task Submit_ForAnotherReportersEstablishment_Returns403AndSavesNothing()
    {
        var (_, theirs, _) = await Factory.ReporterAsync(EstablishmentKind.Landlord);
        var (mine, _, _) = await Factory.ReporterAsync(EstablishmentKind.Landlord);

        var response = await mine.PostAsJsonAsync(ReportingScenario.Base, ReportingScenario.Arrival(theirs, "2026-06-12"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(71001, (int)(await ReportingScenario.JsonAsync(response))["errorCode"]!);
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        Assert.Equal(0, await db.ThirdPartyReports.CountAsync(r => r.EstablishmentId == theirs));
    }

    [SkippableFact]
    public async Task Submit_BadIdNumberAndFutureEvent_Returns400NamingBothFields()
    {
        var (client, establishment, _) = await Factory.ReporterAsync(EstablishmentKind.Landlord);
        var body = ReportingScenario.Arrival(establishment, "2026-07-01");
        body["person"]!["idNumber"] = "140105199001011234";

        var response = await client.PostAsJsonAsync(ReportingScenario.Base, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await ReportingScenario.JsonAsync(response))["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("occurredAt"), errors.ToJsonString());
    }
}

public sealed class SqliteReportApiTests(SqliteAppFixture fixture)
    : ReportApiTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresReportApiTests(PostgresAppFixture fixture)
    : ReportApiTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
