using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests;

/// <summary>
/// The search by name (POST /api/v1/registrations/search-by-name) on SQLite (<see cref="SqliteSearchByNameTests"/>) and
/// PostgreSQL (<see cref="PostgresSearchByNameTests"/>): the caller's jurisdiction only, audited, masked, paged, and
/// hostile input answered with 4xx or nothing, never a 500.
/// </summary>
public abstract class SearchByNameTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    private const string Base = "/api/v1/registrations";

    /// <summary>A name no other test declares: a two-character stem and a random CJK character.</summary>
    private static string UniqueName() =>
        "检索" + (char)(0x4E00 + Random.Shared.Next(0x4000)) + (char)(0x4E00 + Random.Shared.Next(0x4000));

    private static async Task<string> DeclareAsync(HttpClient client, string name, string division, string address)
    {
        var body = TestData.Declaration(residenceDivision: division, residenceAddress: address);
        body["name"] = name;
        var response = await client.PostAsJsonAsync(Base, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!;
    }

    [SkippableFact]
    public async Task SearchByName_PersonOutsideTheStation_IsNotFound()
    {
        var province = await Factory.CreateAsync(Roles.Officer, divisions: "14");
        using var provinceClient = Factory.ClientFor(province);
        var name = UniqueName();
        var inside = await DeclareAsync(provinceClient, name, "140105", "小店区检索路1号");
        await DeclareAsync(provinceClient, name, "140106", "迎泽区检索路2号");

        var station = await Factory.CreateAsync(Roles.Officer, divisions: "140105");
        using var client = Factory.ClientFor(station);
        var response = await client.PostAsJsonAsync($"{Base}/search-by-name", new { name });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var items = page["items"]!.AsArray();
        Assert.Equal(1, (int?)page["total"]);
        Assert.Equal(inside, (string?)Assert.Single(items)!["id"]);
        Assert.Contains("*", (string?)items[0]!["idNumber"], StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task SearchByName_Prefix_FindsOnePageAndWritesTheAuditEntry()
    {
        var officer = await Factory.CreateAsync(Roles.Officer, divisions: "140105");
        using var client = Factory.ClientFor(officer);
        var name = UniqueName();
        var first = await DeclareAsync(client, name, "140105", "小店区检索路3号");
        await DeclareAsync(client, name + "华", "140105", "小店区检索路4号");
        await DeclareAsync(client, name + "国", "140105", "小店区检索路5号");

        var response = await client.PostAsJsonAsync($"{Base}/search-by-name", new { name, page = 1, pageSize = 2 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(3, (int?)page["total"]);
        Assert.Equal(2, page["items"]!.AsArray().Count);
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var entry = await db.AuditEntries.AsNoTracking()
            .SingleAsync(e => e.AccountId == officer.Id && e.Operation == "SearchRegistrationsByName" && e.RegistrationId == Guid.Parse(first));
        Assert.Equal("search", entry.Action);
        Assert.Equal(TestAccounts.Purpose, entry.Purpose);
    }

    [SkippableFact]
    public async Task SearchByName_WithoutPurpose_IsRefused()
    {
        var officer = await Factory.CreateAsync(Roles.Officer, divisions: "140105");
        using var client = Factory.ClientFor(officer, purpose: false);

        var response = await client.PostAsJsonAsync($"{Base}/search-by-name", new { name = "王小明" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [SkippableTheory]
    [InlineData("")]
    [InlineData("王")]
    [InlineData("%%")]
    [InlineData("_%")]
    [InlineData("' OR 1=1 --")]
    [InlineData("王\u0000明")]
    [InlineData("\u202E王明")]
    [InlineData("王明王明王明王明王明王明王明王明王明王明王明王明王明王明王明王明王明王明王明王明王明王明王明王明王明王明")]
    public async Task SearchByName_HostileName_IsAClientErrorOrEmpty(string name)
    {
        var officer = await Factory.CreateAsync(Roles.Officer, divisions: "140105");
        using var client = Factory.ClientFor(officer);

        var response = await client.PostAsJsonAsync($"{Base}/search-by-name", new { name });

        Assert.True(
            (int)response.StatusCode is >= 400 and < 500
            || (response.StatusCode == HttpStatusCode.OK && (int?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["total"] == 0),
            $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}

public sealed class SqliteSearchByNameTests(SqliteAppFixture fixture)
    : SearchByNameTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresSearchByNameTests(PostgresAppFixture fixture)
    : SearchByNameTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
