using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Policy;

/// <summary>
/// The anonymous evaluate endpoint refuses dates outside the evaluable range (400 naming the field, never a
/// 500), bounds the cases per request and the requests per client. The engine holds no database state.
/// </summary>
public sealed class PolicyApiLimitTests(SqliteAppFixture fixture) : IClassFixture<SqliteAppFixture>
{
    private const string Route = "/api/v1/policy/evaluate";

    private static readonly string ExampleCase = File.ReadAllText(
        Path.Combine(AppContext.BaseDirectory, "Policy", "contract-example-case.json"));

    [Theory]
    [InlineData("asOf", null, "asOf")]
    [InlineData("person", "birthDate", "person.birthDate")]
    [InlineData("stay", "arrivedOn", "stay.arrivedOn")]
    [InlineData("facts", "registeredOn", "facts.registeredOn")]
    [InlineData("landlord", "movedInAt", "landlord.movedInAt")]
    [InlineData("landlord", "reportedOn", "landlord.reportedOn")]
    [InlineData("employer", "hiredOn", "employer.hiredOn")]
    [InlineData("market", "enteredOn", "market.enteredOn")]
    [InlineData("permit", "issuedOn", "permit.issuedOn")]
    public async Task Evaluate_DateNearMaxValue_Returns400NamingField(string section, string? name, string field)
    {
        var c = JsonNode.Parse(ExampleCase)!.AsObject();
        if (name is null)
        {
            c[section] = "9999-12-30";
        }
        else
        {
            c[section]![name] = "9999-12-30";
        }

        using var client = fixture.Factory.CreateClient();
        var response = await client.PostAsync(Route, new StringContent(c.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["field"]);
    }

    [Fact]
    public async Task Evaluate_HugeDayCount_Returns400()
    {
        var c = JsonNode.Parse(ExampleCase)!.AsObject();
        c["stay"]!["intendedDays"] = int.MaxValue;
        using var client = fixture.Factory.CreateClient();

        var response = await client.PostAsync(Route, new StringContent(c.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Evaluate_MoreCasesThanAllowed_Returns413WithoutEvaluating()
    {
        using var factory = new SojournAppFactory(DatabaseKind.Sqlite, b => b.UseSetting("Sojourn:Policy:MaxCasesPerRequest", "3"));
        using var client = factory.CreateClient();
        var body = "[" + string.Join(",", Enumerable.Repeat(ExampleCase, 4)) + "]";

        var response = await client.PostAsync(Route, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(10042, (int?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errorCode"]);
    }

    [Fact]
    public async Task Evaluate_BeyondRateLimit_Returns429()
    {
        using var factory = new SojournAppFactory(DatabaseKind.Sqlite, b => b.UseSetting("Sojourn:Policy:EvaluationsPerMinute", "2"));
        using var client = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await client.PostAsync(Route, new StringContent(ExampleCase, Encoding.UTF8, "application/json"))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
