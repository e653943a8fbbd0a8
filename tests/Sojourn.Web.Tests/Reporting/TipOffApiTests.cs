using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Reporting;

/// <summary>Public tip-offs (宁夏 第四十一条): anonymous submit, hostile input, the station's leads, tipster protection, closing.</summary>
public abstract class TipOffApiTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    private const string Base = "/api/v1/tip-offs";
    private const string Leads = "/api/v1/leads";

    private static JsonObject Tip(string description, string? contact = null, string division = "140105") => new()
    {
        ["kind"] = "unregistered-tenant",
        ["divisionCode"] = division,
        ["address"] = "太原市小店区亲贤北街88号201室",
        ["description"] = description,
        ["contact"] = contact,
    };

    private async Task<JsonObject> SubmitAsync(JsonObject body)
    {
        var response = await Factory.CreateClient().PostAsJsonAsync(Base, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await ReportingScenario.JsonAsync(response);
    }

    private static async Task<JsonArray> LeadsAsync(HttpClient client, string status = "all")
    {
        var response = await client.GetAsync($"{Leads}?status={status}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonArray>())!;
    }

    private static JsonNode? Find(JsonArray leads, JsonObject receipt) =>
        leads.FirstOrDefault(l => (string?)l!["id"] == (string?)receipt["id"]);

    [SkippableFact]
    public async Task Submit_Anonymous_CreatedWithTheStationsPublishedHotlineAndMailbox()
    {
        var receipt = await SubmitAsync(Tip("二楼有三人租住两个月，未见登记。"));

        Assert.StartsWith("JB", (string?)receipt["receipt"], StringComparison.Ordinal);
        var station = receipt["station"]!;
        Assert.Equal("140105000001", (string?)station["code"]);
        Assert.False(string.IsNullOrEmpty((string?)station["hotline"]));
        Assert.False(string.IsNullOrEmpty((string?)station["mailbox"]));
        Assert.Equal("ningxia-2013#41", (string?)receipt["basis"]);
    }

    [SkippableFact]
    public async Task Submit_BidiOverrideInDescription_Returns400AndSavesNothing()
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var before = await db.TipOffs.IgnoreQueryFilters().CountAsync();

        var response = await Factory.CreateClient().PostAsJsonAsync(Base, Tip("租客\u202Egnp.exe\u0000"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await db.TipOffs.IgnoreQueryFilters().CountAsync());
    }

    [SkippableFact]
    public async Task Submit_DescriptionOverTheLimitAndUnknownKind_Returns400NamingBothFields()
    {
        var body = Tip(new string('租', 1001));
        body["kind"] = "noise";

        var response = await Factory.CreateClient().PostAsJsonAsync(Base, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await ReportingScenario.JsonAsync(response))["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("description"), errors.ToJsonString());
        Assert.True(errors.ContainsKey("kind"), errors.ToJsonString());
        Assert.Contains("情况描述", errors["description"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Submit_OversizedBody_IsRefusedBeforeTheUseCase()
    {
        var big = "{\"kind\":\"other\",\"divisionCode\":\"140105\",\"address\":\"x\",\"description\":\"" + new string('a', 40_000) + "\"}";
        using var content = new StringContent(big, Encoding.UTF8, "application/json");

        var response = await Factory.CreateClient().PostAsync(Base, content);

        Assert.True((int)response.StatusCode is >= 400 and < 500, response.StatusCode.ToString());
    }

    [SkippableFact]
    public async Task Submit_AddressWithNoPublishedStation_Returns422()
    {
        var response = await Factory.CreateClient().PostAsJsonAsync(Base, Tip("有人未登记。", division: "110101"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(72003, (int)(await ReportingScenario.JsonAsync(response))["errorCode"]!);
    }

    [SkippableFact]
    public async Task ListLeads_OtherJurisdiction_DoesNotSeeTheLead()
    {
        var receipt = await SubmitAsync(Tip("某公司招用外地工人未报送。"));
        var here = await Factory.ClientAsAsync("officer");
        var elsewhere = await Factory.ClientAsAsync("officer", divisions: "140106", stations: "140106000001");

        Assert.NotNull(Find(await LeadsAsync(here), receipt));
        Assert.Null(Find(await LeadsAsync(elsewhere), receipt));
    }

    [SkippableFact]
    public async Task ListLeads_ContactMaskedForOfficerShownToChiefAndTheChiefsReadAudited()
    {
        const string contact = "13900001111";
        var receipt = await SubmitAsync(Tip("三楼群租，人员常换。", contact));
        var officer = await Factory.ClientAsAsync("officer");
        var chiefAccount = await Factory.CreateAsync("station-chief");
        var chief = Factory.ClientFor(chiefAccount);

        var asOfficer = Find(await LeadsAsync(officer), receipt)!;
        var asChief = Find(await LeadsAsync(chief), receipt)!;

        Assert.True((bool)asOfficer["hasContact"]!);
        Assert.NotEqual(contact, (string?)asOfficer["contact"]);
        Assert.Equal(contact, (string?)asChief["contact"]);
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var stored = await db.TipOffs.IgnoreQueryFilters().SingleAsync(t => t.Id == Guid.Parse((string)receipt["id"]!));
        Assert.DoesNotContain(contact, stored.ContactCipher!, StringComparison.Ordinal);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.AccountId == chiefAccount.Id && e.Fields.Contains("tipsterContact")));
    }

    [SkippableFact]
    public async Task ListLeads_WithoutPurpose_Returns400()
    {
        var officer = Factory.ClientFor(await Factory.CreateAsync("officer"), purpose: false);

        var response = await officer.GetAsync(Leads);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(30001, (int)(await ReportingScenario.JsonAsync(response))["errorCode"]!);
    }

    [SkippableFact]
    public async Task ListLeads_Anonymous_Returns401()
    {
        var response = await Factory.CreateClient().GetAsync(Leads);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [SkippableFact]
    public async Task Close_WithNote_ClosesOnceAndKeepsTheNote()
    {
        var receipt = await SubmitAsync(Tip("地下室有人居住。"));
        var officer = await Factory.ClientAsAsync("officer");
        var url = $"{Leads}/{(string?)receipt["id"]}/close";

        var empty = await officer.PostAsJsonAsync(url, new JsonObject { ["note"] = "" });
        var first = await officer.PostAsJsonAsync(url, new JsonObject { ["note"] = "已上门核查，督促三人办理居住登记。" });
        var second = await officer.PostAsJsonAsync(url, new JsonObject { ["note"] = "再次办结" });

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var closed = await ReportingScenario.JsonAsync(first);
        Assert.Equal("closed", (string?)closed["status"]);
        Assert.Equal("已上门核查，督促三人办理居住登记。", (string?)closed["closingNote"]);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(72002, (int)(await ReportingScenario.JsonAsync(second))["errorCode"]!);
    }

    [SkippableFact]
    public async Task Close_OtherJurisdiction_Returns404AndLeavesItOpen()
    {
        var receipt = await SubmitAsync(Tip("工地工人未报送。"));
        var elsewhere = await Factory.ClientAsAsync("officer", divisions: "140106", stations: "140106000001");

        var response = await elsewhere.PostAsJsonAsync($"{Leads}/{(string?)receipt["id"]}/close", new JsonObject { ["note"] = "越权办结" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(72001, (int)(await ReportingScenario.JsonAsync(response))["errorCode"]!);
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        Assert.Equal("open", (await db.TipOffs.IgnoreQueryFilters().SingleAsync(t => t.Id == Guid.Parse((string)receipt["id"]!))).Status);
    }
}

public sealed class SqliteTipOffApiTests(SqliteAppFixture fixture)
    : TipOffApiTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresTipOffApiTests(PostgresAppFixture fixture)
    : TipOffApiTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
