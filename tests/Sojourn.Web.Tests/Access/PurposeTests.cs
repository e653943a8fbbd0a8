using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sojourn.Application.Errors;
using Sojourn.Data.Access;
using Sojourn.Web.Access;
using Sojourn.Web.Access.Audit;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Access;

/// <summary>The purpose catalogue (Access/purposes.json) and the X-Sojourn-Purpose header that names its codes.</summary>
public class PurposeCatalogueTests
{
    private static readonly PurposeCatalogue Catalogue = PurposeCatalogue.Default;

    [Fact]
    public void Default_EachPurposeHasBothLabelsAndArticlesOrSilent()
    {
        Assert.All(Catalogue.Entries, e =>
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Zh));
            Assert.False(string.IsNullOrWhiteSpace(e.En));
            Assert.NotEqual(e.Silent, e.Basis.Count > 0);
        });
        Assert.Contains(Catalogue.Entries, e => e is { Code: "case-handling", Zh: "办案" });
    }

    [Fact]
    public void Parse_PercentEncodedChineseNote_DecodesIt()
    {
        var stated = Catalogue.Parse("case-handling; note=" + Uri.EscapeDataString("案件编号 2026-17"), out _);

        Assert.Equal(new StatedPurpose("case-handling", "案件编号 2026-17"), stated);
        Assert.Equal("case-handling; 案件编号 2026-17", stated!.ToString());
    }

    [Fact]
    public void Parse_UnknownCode_ReturnsNullNamingTheCode()
    {
        Assert.Null(Catalogue.Parse("curiosity; note=x", out var code));
        Assert.Equal("curiosity", code);
    }

    [Theory]
    [InlineData("case-handling", "办案")]
    [InlineData("permit-review; 复核", "居住证审核：复核")]
    [InlineData("free text from before the catalogue", "free text from before the catalogue")]
    public void Label_StoredPurpose_ShowsTheChineseLabel(string stored, string shown)
    {
        Assert.Equal(shown, Catalogue.Label(stored));
    }

    [Theory]
    [InlineData("""{ "purposes": [ { "code": "x", "zh": "甲", "en": "X" } ] }""")]
    [InlineData("""{ "purposes": [ { "code": "x", "zh": "甲", "en": "X", "basis": ["第一条"], "silent": true } ] }""")]
    [InlineData("""{ "purposes": [ { "code": "X Y", "zh": "甲", "en": "X", "silent": true } ] }""")]
    [InlineData("""{ "purposes": [ { "code": "x", "zh": "", "en": "X", "silent": true } ] }""")]
    public void ParseCatalogue_EntryWithoutBasisOrLabelOrShape_Throws(string json)
    {
        Assert.Throws<InvalidOperationException>(() => PurposeCatalogue.Parse(json));
    }
}

/// <summary>The header on real requests, on SQLite and PostgreSQL.</summary>
public abstract class PurposeHeaderTests(SojournAppFactory? factory, string? skipReason)
    : DatabaseTests(factory, skipReason)
{
    private const string Base = "/api/v1/registrations";

    [SkippableFact]
    public async Task Get_UnknownPurposeCode_Returns400NamingHeaderAndCodes()
    {
        var id = await DeclareAsync();
        using var client = Factory.ClientFor(await Factory.CreateAsync(Roles.Officer), purpose: false);
        client.DefaultRequestHeaders.Add(AuditRecorder.PurposeHeader, "curiosity");

        var response = await client.GetAsync($"{Base}/{id}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Json(response);
        Assert.Equal(ErrorCode.PurposeUnknown.Code, (int?)problem["errorCode"]);
        Assert.Equal(AuditRecorder.PurposeHeader, (string?)problem["header"]);
        Assert.Contains("case-handling", problem["purposes"]!.AsArray().Select(p => (string?)p));
        Assert.Contains("curiosity", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Get_WithoutPurpose_Returns400PurposeMissing()
    {
        var id = await DeclareAsync();
        using var client = Factory.ClientFor(await Factory.CreateAsync(Roles.Officer), purpose: false);

        var response = await client.GetAsync($"{Base}/{id}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ErrorCode.PurposeMissing.Code, (int?)(await Json(response))["errorCode"]);
    }

    [SkippableFact]
    public async Task Get_PercentEncodedChineseNote_AuditShowsLabelAndText()
    {
        var person = TestData.NewIdNumber();
        var id = await DeclareAsync(person);
        using (var client = Factory.ClientFor(await Factory.CreateAsync(Roles.Officer), purpose: false))
        {
            client.DefaultRequestHeaders.Add(AuditRecorder.PurposeHeader, "case-handling; note=" + Uri.EscapeDataString("案件编号 2026-17"));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{Base}/{id}")).StatusCode);
        }

        using var chief = await Factory.ClientAsAsync(Roles.StationChief);
        var audit = await Json(await chief.PostAsJsonAsync("/api/v1/audit/search", new { registrationId = id }));
        using var migrant = await Factory.ClientAsAsync(Roles.Migrant, "", "", person);
        var log = await Json(await migrant.GetAsync("/api/v1/me/access-log"));

        Assert.Contains(audit["items"]!.AsArray(), i => (string?)i!["action"] == "read" && (string?)i["purpose"] == "办案：案件编号 2026-17");
        Assert.Contains(log["items"]!.AsArray(), i => (string?)i!["purpose"] == "办案：案件编号 2026-17");
    }

    [SkippableFact]
    public async Task ListPurposes_SignedIn_ReturnsTheCatalogue()
    {
        using var client = await Factory.ClientAsAsync(Roles.Officer);

        var list = await client.GetFromJsonAsync<List<PurposeEntry>>("/api/v1/audit/purposes");

        Assert.Equal(PurposeCatalogue.Default.Entries.Select(e => e.Code), list!.Select(e => e.Code));
        Assert.Contains(list!, e => e is { Code: "permit-review", Zh: "居住证审核" });
    }

    private async Task<string> DeclareAsync(string? person = null)
    {
        using var officer = await Factory.ClientAsAsync(Roles.Officer);
        var response = await officer.PostAsJsonAsync(Base, TestData.Declaration(person ?? TestData.NewIdNumber()));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)(await Json(response))["id"]!;
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");
}

public sealed class SqlitePurposeHeaderTests(SqliteAppFixture fixture)
    : PurposeHeaderTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresPurposeHeaderTests(PostgresAppFixture fixture)
    : PurposeHeaderTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
