using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests;

/// <summary>
/// Residence registration over HTTP, end to end. Every test runs twice: on SQLite
/// (<see cref="SqliteRegistrationApiTests"/>) and on a real PostgreSQL (<see cref="PostgresRegistrationApiTests"/>).
/// </summary>
public abstract partial class RegistrationApiTests(SojournAppFactory? factory, string? skipReason)
    : DatabaseTests(factory, skipReason)
{
    private const string Base = "/api/v1/registrations";

    private TestAccount? _officer;

    /// <summary>A police officer of the whole province (division prefix 14), signed in with a real API token.</summary>
    private HttpClient Client()
    {
        _officer ??= Factory.CreateAsync(Sojourn.Data.Access.Roles.Officer, divisions: "14").GetAwaiter().GetResult();
        return Factory.ClientFor(_officer);
    }

    [SkippableFact]
    public async Task Declare_ValidRequest_ReturnsCreatedWithMaskedIdNumber()
    {
        using var client = Client();
        var id = TestData.NewIdNumber();

        var response = await client.PostAsJsonAsync(Base, TestData.Declaration(id));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Json(response);
        Assert.Equal("declared", (string?)body["status"]);
        Assert.Equal(1, (int?)body["version"]);
        Assert.Equal(id[..4] + "**********" + id[14..], (string?)body["record"]!["idNumber"]);
        Assert.DoesNotContain(id, body.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("\"1\"", response.Headers.ETag?.ToString());
        Assert.NotNull(response.Headers.Location);
    }

    [SkippableFact]
    public async Task Lifecycle_DeclareConfirmCorrectChangeDepart_KeepsEveryVersion()
    {
        using var client = Client();
        var created = await Json(await client.PostAsJsonAsync(Base, TestData.Declaration()));
        var id = (string)created["id"]!;

        var confirm = await client.PostAsJsonAsync($"{Base}/{id}/confirm", new { version = 1, stationCode = "140105000001", stationName = "亲贤派出所", officerName = "李警官" });
        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        var confirmed = await Json(confirm);
        Assert.Matches(CertificateFormat(), (string)confirmed["certificateNumber"]!);

        var correct = await client.PostAsJsonAsync($"{Base}/{id}/corrections", new { version = 2, reason = "姓名录入错误", changes = new { name = "王晓明" } });
        Assert.Equal(HttpStatusCode.OK, correct.StatusCode);

        using var change = new HttpRequestMessage(HttpMethod.Post, $"{Base}/{id}/changes")
        {
            Content = JsonContent.Create(new { reason = "更换工作单位", changes = new { workplace = "太原市某软件公司" } }),
        };
        change.Headers.IfMatch.Add(new EntityTagHeaderValue("\"3\""));
        var changed = await client.SendAsync(change);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        var depart = await client.PostAsJsonAsync($"{Base}/{id}/departure", new { version = 4, departedOn = "2026-06-14", reason = "返乡" });
        Assert.Equal(HttpStatusCode.OK, depart.StatusCode);

        var current = await Json(await client.GetAsync($"{Base}/{id}"));
        Assert.Equal("ended", (string?)current["status"]);
        Assert.Equal("王晓明", (string?)current["record"]!["name"]);
        Assert.Equal("太原市某软件公司", (string?)current["record"]!["workplace"]);

        var versions = JsonNode.Parse(await client.GetStringAsync($"{Base}/{id}/versions"))!.AsArray();
        Assert.Equal(
            ["declaration", "confirmation", "correction", "change", "departure"],
            versions.Select(v => (string)v!["kind"]!).ToArray());
        Assert.Equal("王小明", (string?)versions[0]!["record"]!["name"]);
        Assert.Equal("officer:" + _officer!.UserName, (string?)versions[2]!["recordedBy"]);
    }

    [SkippableFact]
    public async Task Post_RepeatedIdempotencyKey_ReplaysFirstResponse()
    {
        using var client = Client();
        var body = TestData.Declaration(residenceDivision: "140122", residenceAddress: "阳曲县幂等路1号");

        var first = await Send(client, body, "key-" + Guid.NewGuid());
        var key = first.RequestMessage!.Headers.GetValues("Idempotency-Key").Single();
        var second = await Send(client, body, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(first.StatusCode, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        var list = await Json(await client.GetAsync($"{Base}?division=140122"));
        Assert.Equal(1, (int?)list["total"]);
    }

    [SkippableFact]
    public async Task Post_IdempotencyKeyWithOtherBody_Returns422()
    {
        using var client = Client();
        var key = "key-" + Guid.NewGuid();
        await Send(client, TestData.Declaration(), key);

        var second = await Send(client, TestData.Declaration(), key);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        Assert.Equal(10005, (int?)(await Json(second))["errorCode"]);
    }

    [SkippableFact]
    public async Task Correct_StaleVersion_Returns409AndKeepsNewerData()
    {
        using var client = Client();
        var id = (string)(await Json(await client.PostAsJsonAsync(Base, TestData.Declaration())))["id"]!;
        var ok = await client.PostAsJsonAsync($"{Base}/{id}/changes", new { version = 1, reason = "换工作", changes = new { workplace = "甲公司" } });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        var stale = await client.PostAsJsonAsync($"{Base}/{id}/changes", new { version = 1, reason = "换工作", changes = new { workplace = "乙公司" } });

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(10004, (int?)(await Json(stale))["errorCode"]);
        var current = await Json(await client.GetAsync($"{Base}/{id}"));
        Assert.Equal("甲公司", (string?)current["record"]!["workplace"]);
        Assert.Equal(2, (int?)current["version"]);
    }

    [SkippableFact]
    public async Task Change_WithoutVersion_Returns428()
    {
        using var client = Client();
        var id = (string)(await Json(await client.PostAsJsonAsync(Base, TestData.Declaration())))["id"]!;

        var response = await client.PostAsJsonAsync($"{Base}/{id}/changes", new { reason = "换工作", changes = new { workplace = "甲公司" } });

        Assert.Equal(HttpStatusCode.PreconditionRequired, response.StatusCode);
    }

    [SkippableFact]
    public async Task Change_IdentityField_Returns400NamingField()
    {
        using var client = Client();
        var id = (string)(await Json(await client.PostAsJsonAsync(Base, TestData.Declaration())))["id"]!;

        var response = await client.PostAsJsonAsync($"{Base}/{id}/changes", new { version = 1, reason = "改名", changes = new { name = "王大明" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await Json(response))["errors"]!["changes.name"]);
    }

    [SkippableFact]
    public async Task Change_ResidenceDivision_Returns400()
    {
        using var client = Client();
        var id = (string)(await Json(await client.PostAsJsonAsync(Base, TestData.Declaration())))["id"]!;

        var response = await client.PostAsJsonAsync($"{Base}/{id}/changes", new { version = 1, reason = "搬家", changes = new { residenceDivision = "140106", residenceAddress = "迎泽区新家1号" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await Json(response))["errors"]!["changes.residenceDivision"]);
    }

    [SkippableFact]
    public async Task Change_ResidenceAddressWithinDivision_UpdatesAddress()
    {
        using var client = Client();
        var id = (string)(await Json(await client.PostAsJsonAsync(Base, TestData.Declaration())))["id"]!;

        var response = await client.PostAsJsonAsync($"{Base}/{id}/changes", new { version = 1, reason = "同区搬家", changes = new { residenceAddress = "小店区新家2号" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("小店区新家2号", (string?)(await Json(response))["record"]!["residenceAddress"]);
    }

    [SkippableFact]
    public async Task Declare_SecondOpenStayAtSameAddress_Returns409UntilDeparture()
    {
        using var client = Client();
        var idNumber = TestData.NewIdNumber();
        var first = await Json(await client.PostAsJsonAsync(Base, TestData.Declaration(idNumber, residenceAddress: "小店区长风街1号")));

        var duplicate = await client.PostAsJsonAsync(Base, TestData.Declaration(idNumber, residenceAddress: " 小店区长风街1号 "));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(20002, (int?)(await Json(duplicate))["errorCode"]);

        await client.PostAsJsonAsync($"{Base}/{first["id"]}/departure", new { version = 1, departedOn = "2026-06-10" });
        var again = await client.PostAsJsonAsync(Base, TestData.Declaration(idNumber, residenceAddress: "小店区长风街1号"));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    [SkippableFact]
    public async Task Declare_ConcurrentSameStay_OnlyOneSucceeds()
    {
        using var client = Client();
        var idNumber = TestData.NewIdNumber();
        var body = TestData.Declaration(idNumber, residenceAddress: "小店区并发路8号");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.PostAsJsonAsync(Base, body)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
    }

    [SkippableFact]
    public async Task OpenStayIndex_DuplicateInsertBypassingApi_IsRejectedByDatabase()
    {
        using var client = Client();
        var id = (string)(await Json(await client.PostAsJsonAsync(Base, TestData.Declaration())))["id"]!;
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var row = await db.Registrations.AsNoTracking().SingleAsync(r => r.Id == Guid.Parse(id));

        var sql = """
            INSERT INTO "Registrations" ("Id","Status","Version","PersonName","PersonIdHmac","PersonIdMasked","ResidenceDivisionCode","ResidenceAddressKey","ArrivedOn","DeclaredAt","UpdatedAt")
            SELECT {0},"Status","Version","PersonName","PersonIdHmac","PersonIdMasked","ResidenceDivisionCode","ResidenceAddressKey","ArrivedOn","DeclaredAt","UpdatedAt" FROM "Registrations" WHERE "Id" = {1}
            """;
        var error = await Record.ExceptionAsync(() => db.Database.ExecuteSqlRawAsync(sql, Guid.NewGuid(), row.Id));
        // The same row as an ended stay is allowed: the index is partial, over open stays only.
        var ended = await db.Database.ExecuteSqlRawAsync(sql.Replace("SELECT {0},\"Status\"", "SELECT {0},'ended'", StringComparison.Ordinal), Guid.NewGuid(), row.Id);

        Assert.IsAssignableFrom<System.Data.Common.DbException>(error);
        Assert.Equal(1, ended);
    }

    [SkippableFact]
    public async Task Confirm_Concurrently_IssuesDistinctSequentialNumbers()
    {
        using var client = Client();
        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add((string)(await Json(await client.PostAsJsonAsync(Base, TestData.Declaration(residenceDivision: "140123", residenceAddress: $"娄烦县确认路{i}号"))))["id"]!);
        }

        var responses = await Task.WhenAll(ids.Select(id => client.PostAsJsonAsync(
            $"{Base}/{id}/confirm", new { version = 1, stationCode = "140123000001", stationName = "娄烦县城关派出所", officerName = "赵警官" })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var numbers = new List<string>();
        foreach (var r in responses)
        {
            numbers.Add((string)(await Json(r))["certificateNumber"]!);
        }

        Assert.Equal(
            Enumerable.Range(1, 6).Select(n => $"DJ140123-2026-{n:D6}").ToArray(),
            numbers.Order(StringComparer.Ordinal).ToArray());
    }

    [SkippableFact]
    public async Task List_Paginated_ReturnsTotalAndPageSlices()
    {
        using var client = Client();
        for (var i = 0; i < 5; i++)
        {
            await client.PostAsJsonAsync(Base, TestData.Declaration(residenceDivision: "140110", residenceAddress: $"晋源区分页路{i}号"));
        }

        var page1 = await Json(await client.GetAsync($"{Base}?division=1401&status=declared&page=1&pageSize=2"));
        var page3 = await Json(await client.GetAsync($"{Base}?division=140110&page=3&pageSize=2"));

        Assert.True((int)page1["total"]! >= 5);
        Assert.Equal(2, page1["items"]!.AsArray().Count);
        Assert.Equal(5, (int?)page3["total"]);
        Assert.Single(page3["items"]!.AsArray());
    }

    [SkippableFact]
    public async Task List_PageSizeOverMaximum_Returns400()
    {
        using var client = Client();

        var response = await client.GetAsync($"{Base}?pageSize=51");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await Json(response))["errors"]!["pageSize"]);
    }

    [SkippableTheory]
    [InlineData("idNumber", "140105199001011234")]
    [InlineData("residenceDivision", "149999")]
    [InlineData("residenceDivision", "140100")]
    [InlineData("arrivedOn", "2026-06-16")]
    [InlineData("ethnicGroup", "99")]
    [InlineData("purpose", "smuggling")]
    public async Task Declare_BadField_Returns400NamingFieldAndSavesNothing(string field, string value)
    {
        using var client = Client();
        var body = TestData.Declaration(residenceDivision: "140181", residenceAddress: "古交市错误路" + field + value);
        body[field] = value;

        var response = await client.PostAsJsonAsync(Base, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Json(response);
        Assert.Equal(10001, (int?)problem["errorCode"]);
        Assert.NotNull(problem["errors"]![field]);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        Assert.False(await db.Registrations.AnyAsync(r => r.ResidenceAddressKey.Contains(field)));
    }

    [SkippableFact]
    public async Task Declare_ChildTooOld_Returns400NamingChildField()
    {
        using var client = Client();
        var body = TestData.Declaration();
        body["children"]![0]!["birthDate"] = "2010-06-15";

        var response = await client.PostAsJsonAsync(Base, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await Json(response))["errors"]!["children[0].birthDate"]);
    }

    [SkippableFact]
    public async Task Declare_ChildTooOld_MessageCitesTheAgeOfThePolicyInForce()
    {
        using var client = Client();
        var body = TestData.Declaration();
        var terms = Sojourn.Rules.Registration.RegistrationTerms.For((string)body["residenceDivision"]!, Factory.Clock.Today)!;
        body["children"]![0]!["birthDate"] = Factory.Clock.Today.AddYears(-terms.AccompanyingChildBelowAge.Value).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var response = await client.PostAsJsonAsync(Base, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (string?)(await Json(response))["errors"]!["children[0].birthDate"]![0];
        Assert.Equal("shanxi-2017#11", terms.AccompanyingChildBelowAge.Basis);
        Assert.Contains("未满16周岁", message, StringComparison.Ordinal);
        Assert.Contains("shanxi-2017#11", message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Declare_MalformedJson_Returns400ProblemDetails()
    {
        using var client = Client();

        var response = await client.PostAsync(Base, new StringContent("{\"name\": \"王\", ", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(10002, (int?)(await Json(response))["errorCode"]);
    }

    [SkippableFact]
    public async Task Declare_WrongTypeForDate_Returns400NamingField()
    {
        using var client = Client();
        var body = TestData.Declaration();
        body["arrivedOn"] = "not-a-date";

        var response = await client.PostAsJsonAsync(Base, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await Json(response))["errors"]!["arrivedOn"]);
    }

    [SkippableFact]
    public async Task Declare_EnglishRequested_ReturnsEnglishMessages()
    {
        using var client = Client();
        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en-US"));
        var body = TestData.Declaration();
        body["idNumber"] = "123";

        var problem = await Json(await client.PostAsJsonAsync(Base, body));

        Assert.Equal("The request has invalid fields", (string?)problem["title"]);
    }

    [SkippableFact]
    public async Task Photo_UploadThenGet_ReturnsSameBytesAndAppendsVersion()
    {
        using var client = Client();
        var id = (string)(await Json(await client.PostAsJsonAsync(Base, TestData.Declaration())))["id"]!;
        var jpeg = TestData.Jpeg(1000);

        var upload = await UploadPhoto(client, id, jpeg, "image/jpeg", version: 1);
        var photo = await client.GetByteArrayAsync($"{Base}/{id}/photo");

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal(jpeg, photo);
        Assert.Equal(2, (int?)(await Json(await client.GetAsync($"{Base}/{id}")))["version"]);
    }

    [SkippableFact]
    public async Task Photo_Oversized_Returns400()
    {
        using var client = Client();
        var id = (string)(await Json(await client.PostAsJsonAsync(Base, TestData.Declaration())))["id"]!;

        var response = await UploadPhoto(client, id, TestData.Jpeg(4097), "image/jpeg", version: 1);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await Json(response))["errors"]!["photo"]);
    }

    [SkippableFact]
    public async Task Photo_NotAnImage_Returns400()
    {
        using var client = Client();
        var id = (string)(await Json(await client.PostAsJsonAsync(Base, TestData.Declaration())))["id"]!;

        var response = await UploadPhoto(client, id, Encoding.ASCII.GetBytes(new string('x', 500)), "image/png", version: 1);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [SkippableFact]
    public async Task Storage_IdentityNumber_IsEncryptedAtRest()
    {
        using var client = Client();
        var idNumber = TestData.NewIdNumber();
        var id = Guid.Parse((string)(await Json(await client.PostAsJsonAsync(Base, TestData.Declaration(idNumber))))["id"]!);
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();

        var version = await db.RegistrationVersions.AsNoTracking().SingleAsync(v => v.RegistrationId == id);

        Assert.DoesNotContain(idNumber, version.Record.IdNumberCipher, StringComparison.Ordinal);
        Assert.StartsWith("v1:", version.Record.IdNumberCipher, StringComparison.Ordinal);
        Assert.Equal(64, version.Record.IdNumberHmac.Length);
    }

    [SkippableFact]
    public async Task Get_UnknownId_Returns404WithErrorCode()
    {
        using var client = Client();

        var response = await client.GetAsync($"{Base}/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(20001, (int?)(await Json(response))["errorCode"]);
    }

    [SkippableFact]
    public async Task Search_ByIdNumber_FindsEveryStayOfThatPerson()
    {
        using var client = Client();
        var idNumber = TestData.NewIdNumber();
        await client.PostAsJsonAsync(Base, TestData.Declaration(idNumber));
        await client.PostAsJsonAsync(Base, TestData.Declaration(idNumber, residenceDivision: "140106", residenceAddress: "迎泽区第二住处1号"));
        await client.PostAsJsonAsync(Base, TestData.Declaration());

        var found = JsonNode.Parse(await (await client.PostAsJsonAsync($"{Base}/search", new { idNumber })).Content.ReadAsStringAsync())!.AsArray();

        Assert.Equal(2, found.Count);
    }

    [SkippableFact]
    public async Task Post_SameIdempotencyKeyConcurrently_ExecutesOnce()
    {
        using var client = Client();
        var body = TestData.Declaration(residenceDivision: "140181", residenceAddress: "古交市幂等并发路1号");
        var key = "key-" + Guid.NewGuid();

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Send(client, body, key)));

        // A repeat either replays the first result or, while it still runs, gets 409 "in progress".
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        Assert.Equal(1, await db.Registrations.CountAsync(r => r.ResidenceAddressKey.Contains("幂等并发路1号")));
    }

    [SkippableFact]
    public async Task Change_TwoWritersSameVersion_OneWinsOtherGets409()
    {
        using var client = Client();
        var id = (string)(await Json(await client.PostAsJsonAsync(Base, TestData.Declaration())))["id"]!;

        var responses = await Task.WhenAll(
            client.PostAsJsonAsync($"{Base}/{id}/changes", new { version = 1, reason = "换工作", changes = new { workplace = "甲公司" } }),
            client.PostAsJsonAsync($"{Base}/{id}/changes", new { version = 1, reason = "换工作", changes = new { workplace = "乙公司" } }));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var loser = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Conflict);
        Assert.Equal(10004, (int?)(await Json(loser))["errorCode"]);
        var versions = JsonNode.Parse(await client.GetStringAsync($"{Base}/{id}/versions"))!.AsArray();
        Assert.Equal(2, versions.Count);
    }

    [SkippableFact]
    public async Task Model_MigrationsOfThisProvider_MatchTheModel()
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();

        Assert.False(db.Database.HasPendingModelChanges());
    }

    [SkippableFact]
    public async Task OpenApi_Document_ListsRegistrationRoutes()
    {
        using var client = Client();

        var document = await client.GetStringAsync("/openapi/v1.json");

        Assert.Contains("/api/v1/registrations/{id}/confirm", document, StringComparison.Ordinal);
        Assert.Contains("Idempotency-Key", document, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task DocsAndHome_Get_Return200()
    {
        using var client = Client();
        using var anonymous = Factory.CreateClient();

        var docs = await client.GetAsync("/docs");
        var home = await anonymous.GetStringAsync("/");
        var signIn = await anonymous.GetStringAsync("/account/sign-in");

        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        // The web application's shell (its pages render live, without pre-rendering) and the sign-in form.
        Assert.Contains("_framework/blazor.web", home, StringComparison.Ordinal);
        Assert.Contains("name=\"userName\"", signIn, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, JsonObject body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Base) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static async Task<HttpResponseMessage> UploadPhoto(HttpClient client, string id, byte[] content, string contentType, int version)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Base}/{id}/photo") { Content = new ByteArrayContent(content) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version}\""));
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())
        ?? throw new JsonException("empty body");

    [GeneratedRegex(@"^DJ140105-2026-\d{6}$")]
    private static partial Regex CertificateFormat();
}

public sealed class SqliteRegistrationApiTests(SqliteAppFixture fixture)
    : RegistrationApiTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresRegistrationApiTests(PostgresAppFixture fixture)
    : RegistrationApiTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
