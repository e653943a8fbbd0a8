using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Hardening;

/// <summary>
/// Writes obey the read jurisdiction; one text rule and the columns' lengths at the boundary; page numbers
/// that cannot overflow. On SQLite and PostgreSQL (NUL is a provider error only on the latter).
/// </summary>
public abstract class InputHardeningTests(SojournAppFactory? factory, string? skipReason)
    : DatabaseTests(factory, skipReason)
{
    private const string Base = "/api/v1/registrations";

    [SkippableTheory]
    [InlineData(Roles.Collector, "140106")]
    [InlineData(Roles.Officer, "320106")]
    [InlineData(Roles.StationChief, "140106")]
    public async Task Declare_OfficialOutsideJurisdiction_Returns403AndSavesNothing(string role, string division)
    {
        using var client = await Factory.ClientAsAsync(role, "140105", "140105000001");
        var person = TestData.NewIdNumber();

        var response = await client.PostAsJsonAsync(Base, TestData.Declaration(person, residenceDivision: division));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(10040, (int?)(await Json(response))["errorCode"]);
        Assert.Equal(0, await CountRegistrationsOfAsync(person));
    }

    [SkippableFact]
    public async Task Correct_CollectorMovesRegistrationOutsideJurisdiction_Returns403AndKeepsVersion()
    {
        using var client = await Factory.ClientAsAsync(Roles.Collector, "140105", "");
        var created = await client.PostAsJsonAsync(Base, TestData.Declaration());
        var id = (string)(await Json(created))["id"]!;

        var response = await client.PostAsJsonAsync($"{Base}/{id}/corrections", new
        {
            version = 1,
            reason = "地址录入错误",
            changes = new { residenceDivision = "140106", residenceAddress = "太原市迎泽区迎泽大街1号" },
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(10040, (int?)(await Json(response))["errorCode"]);
        var after = await Json(await client.GetAsync($"{Base}/{id}"));
        Assert.Equal(1, (int?)after["version"]);
    }

    [SkippableTheory]
    [InlineData("name", "王\u0000小明")]
    [InlineData("name", "王\u202E明小")]
    [InlineData("name", "王\u001B[31m小明")]
    [InlineData("residenceAddress", "小店区\u0000亲贤北街")]
    [InlineData("workplace", "某公司\u2066")]
    public async Task Declare_UnsafeCharacterInText_Returns400NamingFieldAndSavesNothing(string field, string value)
    {
        using var client = await Factory.ClientAsAsync(Roles.Officer);
        var person = TestData.NewIdNumber();
        var body = TestData.Declaration(person);
        body[field] = value;

        var response = await client.PostAsJsonAsync(Base, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Json(response);
        Assert.Equal(10041, (int?)problem["errorCode"]);
        Assert.NotNull(problem["errors"]![field]);
        Assert.Equal(0, await CountRegistrationsOfAsync(person));
    }

    [SkippableFact]
    public async Task Declare_UnsafeCharacterInChildName_Returns400NamingNestedField()
    {
        using var client = await Factory.ClientAsAsync(Roles.Officer);
        var body = TestData.Declaration();
        body["children"]![0]!["name"] = "王\u0000花";

        var response = await client.PostAsJsonAsync(Base, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await Json(response))["errors"]!["children[0].name"]);
    }

    [SkippableFact]
    public async Task VerificationPage_NulInQuery_Returns400NotServerError()
    {
        using var client = Factory.CreateClient();

        var response = await client.GetAsync("/v/x?purpose=a%00b");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await Json(response))["errors"]!["purpose"]);
    }

    [SkippableTheory]
    [InlineData("stationName")]
    [InlineData("officerName")]
    public async Task Confirm_TextLongerThanColumn_Returns400NamingField(string field)
    {
        using var officer = await Factory.ClientAsAsync(Roles.Officer);
        var id = (string)(await Json(await officer.PostAsJsonAsync(Base, TestData.Declaration())))["id"]!;
        var body = new JsonObject { ["version"] = 1, ["stationCode"] = "140105000001", ["stationName"] = "亲贤派出所", ["officerName"] = "李警官" };
        body[field] = new string('长', 101);

        var response = await officer.PostAsJsonAsync($"{Base}/{id}/confirm", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await Json(response))["errors"]![field]);
    }

    [SkippableFact]
    public async Task CreateAccount_OfficeLongerThanAuditColumn_Returns400()
    {
        using var admin = await Factory.ClientAsAsync(Roles.Administrator, "", "");

        var response = await admin.PostAsJsonAsync("/api/v1/admin/accounts", new
        {
            userName = "acct-" + Guid.NewGuid().ToString("N")[..8],
            role = Roles.Collector,
            office = new string('所', 101),
            divisions = new[] { "140105" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await Json(response))["errors"]!["office"]);
    }

    [SkippableTheory]
    [InlineData("/api/v1/registrations?page=2147483647")]
    [InlineData("/api/v1/permits?page=2147483647&pageSize=200")]
    public async Task List_HugePageNumber_ReturnsEmptyPageNotFirst(string url)
    {
        using var officer = await Factory.ClientAsAsync(Roles.Officer);
        await officer.PostAsJsonAsync(Base, TestData.Declaration());

        var response = await officer.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await Json(response))["items"]!.AsArray());
    }

    [SkippableFact]
    public async Task AuditSearch_HugePageNumber_ReturnsEmptyPage()
    {
        using var officer = await Factory.ClientAsAsync(Roles.Officer);
        await officer.PostAsJsonAsync(Base, TestData.Declaration());
        using var chief = await Factory.ClientAsAsync(Roles.StationChief);

        var response = await chief.PostAsync("/api/v1/audit/search",
            new StringContent("""{"page":2147483647,"pageSize":200}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await Json(response))["items"]!.AsArray());
    }

    [SkippableFact]
    public async Task MyAccessLog_HugePageNumber_ReturnsEmptyPage()
    {
        var person = TestData.NewIdNumber();
        using (var officer = await Factory.ClientAsAsync(Roles.Officer))
        {
            var id = (string)(await Json(await officer.PostAsJsonAsync(Base, TestData.Declaration(person))))["id"]!;
            await officer.GetAsync($"{Base}/{id}");
        }

        using var migrant = await Factory.ClientAsAsync(Roles.Migrant, "", "", person);

        var response = await migrant.GetAsync("/api/v1/me/access-log?page=2147483647&pageSize=200");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await Json(response))["items"]!.AsArray());
    }

    private async Task<int> CountRegistrationsOfAsync(string idNumber)
    {
        using var scope = Factory.Services.CreateScope();
        var protector = scope.ServiceProvider.GetRequiredService<Sojourn.Data.Security.IdentityProtector>();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var hmac = protector.LookupHash(idNumber);
        return await db.Registrations.CountAsync(r => r.PersonIdHmac == hmac);
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");
}

public sealed class SqliteInputHardeningTests(SqliteAppFixture fixture)
    : InputHardeningTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresInputHardeningTests(PostgresAppFixture fixture)
    : InputHardeningTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
