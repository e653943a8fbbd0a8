using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Policy;

/// <summary>
/// POST /api/v1/policy/evaluate serves the same contract as `sojourn policy evaluate`
/// (docs/policy-evaluation.md): the worked example, arrays, and a rejected case as 400.
/// The engine holds no database state, so SQLite is enough here.
/// </summary>
public sealed class PolicyApiTests(SqliteAppFixture fixture) : IClassFixture<SqliteAppFixture>
{
    private const string Route = "/api/v1/policy/evaluate";

    private static readonly string ExampleCase = File.ReadAllText(
        Path.Combine(AppContext.BaseDirectory, "Policy", "contract-example-case.json"));

    private static async Task<HttpResponseMessage> Post(HttpClient client, string json) =>
        await client.PostAsync(Route, new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Evaluate_ContractExample_ReturnsWorkedResult()
    {
        using var client = fixture.Factory.CreateClient();

        var response = await Post(client, ExampleCase);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("shanxi-2017#2", (string?)body["floating"]!["basis"]);
        var duties = body["duties"]!.AsArray().ToDictionary(d => (string)d!["id"]!, d => d!);
        Assert.Equal("2026-03-16", (string?)duties["employer.report-hire"]["due"]);
        Assert.Equal("overdue", (string?)duties["employer.report-hire"]["status"]);
        Assert.Equal("late", (string?)duties["landlord.report-tenant"]["status"]);
        Assert.Equal("2026-09-10", (string?)body["permit"]!["earliest"]);
        Assert.StartsWith("sha256:", (string?)body["engine"]!["policyHashes"]!["shanxi-2017"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_Array_ReturnsResultsInOrder()
    {
        using var client = fixture.Factory.CreateClient();
        var other = JsonNode.Parse(ExampleCase)!;
        other["stay"]!["residenceDivision"] = "370102";
        other.AsObject().Remove("policy");

        var response = await Post(client, $"[{ExampleCase},{other.ToJsonString()}]");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(2, results.Count);
        Assert.Contains("shanxi-2017", results[0]!["policies"]!.AsArray().Select(p => (string?)p));
        Assert.Contains("shandong-2017", results[1]!["policies"]!.AsArray().Select(p => (string?)p));
    }

    [Fact]
    public async Task Evaluate_BirthDateDisagreesWithIdNumber_Returns400NamingField()
    {
        using var client = fixture.Factory.CreateClient();
        var bad = JsonNode.Parse(ExampleCase)!;
        bad["person"]!["birthDate"] = "1991-03-07";

        var response = await Post(client, bad.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("person.birthDate", text, StringComparison.Ordinal);
    }
}
