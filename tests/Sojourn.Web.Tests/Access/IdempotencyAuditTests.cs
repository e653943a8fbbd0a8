using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Idempotency;
using Sojourn.Data.Security;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Access;

/// <summary>
/// Replays of reads, keys orphaned by a crash, what the idempotency table keeps, searches without a hit,
/// and what a reporter learns of someone else's registration. Each test has its own app and database.
/// </summary>
public abstract class IdempotencyAuditTests(DatabaseKind kind)
{
    private const string Base = "/api/v1/registrations";

    [SkippableFact]
    public async Task SearchById_ReplayedWithSameKey_RunsAgainNeedsPurposeAndIsAudited()
    {
        using var factory = Create();
        var officer = await factory.CreateAsync(Roles.Officer);
        using var client = factory.ClientFor(officer);
        var person = TestData.NewIdNumber();
        await DeclareAsync(client, TestData.Declaration(person));
        var key = "search-" + Guid.NewGuid();

        var first = await SendAsync(client, Base + "/search", new JsonObject { ["idNumber"] = person }, key);
        var second = await SendAsync(client, Base + "/search", new JsonObject { ["idNumber"] = person }, key);
        using var noPurpose = factory.ClientFor(officer, purpose: false);
        var third = await SendAsync(noPurpose, Base + "/search", new JsonObject { ["idNumber"] = person }, key);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.False(second.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.BadRequest, third.StatusCode);
        Assert.Equal(30001, (int?)(await Json(third))["errorCode"]);
        Assert.Equal(2, await SearchEntriesAsync(factory, person));
        Assert.Equal(0, await IdempotencyRowsAsync(factory));
    }

    [SkippableFact]
    public async Task Declare_CrashAfterCommitBeforeKeyUpdate_RetryWithKeyReturnsCreatedId()
    {
        var crash = new CrashAfterCommit();
        using var factory = Create(crash);
        var officer = await factory.CreateAsync(Roles.Officer);
        using var client = factory.ClientFor(officer);
        var person = TestData.NewIdNumber();
        var body = TestData.Declaration(person);
        var key = "declare-" + Guid.NewGuid();

        crash.Armed = true;
        try
        {
            // The write commits; then the process "dies": nothing more reaches the idempotency table.
            await SendAsync(client, Base, body, key);
        }
        catch (HttpRequestException)
        {
        }
        catch (DbException)
        {
        }

        crash.Armed = false;
        var created = await CreatedIdsAsync(factory, person);
        var retry = await SendAsync(client, Base, body, key);

        Assert.True(crash.Fired);
        Assert.Single(created);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(created[0].ToString(), (string?)(await Json(retry))["id"]);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(created, await CreatedIdsAsync(factory, person));
    }

    [SkippableFact]
    public async Task Declare_StaleInProgressKey_IsResolvedAndTheConflictNamesTheCreatedId()
    {
        using var factory = Create();
        var officer = await factory.CreateAsync(Roles.Officer);
        using var client = factory.ClientFor(officer);
        var person = TestData.NewIdNumber();
        var body = TestData.Declaration(person);
        var id = await DeclareAsync(client, body);
        // The request's hash as the middleware keeps it (a keyed repeat is a 409, which is kept).
        var probe = "probe-" + Guid.NewGuid();
        await SendAsync(client, Base, body, probe);
        var hash = await RequestHashAsync(factory, officer.Id + "|" + probe);
        // What an older build left after kill -9: the write committed, its key still "in progress".
        var stale = "stale-" + Guid.NewGuid();
        var fresh = "fresh-" + Guid.NewGuid();
        await InsertReservationAsync(factory, officer.Id + "|" + stale, hash, factory.Clock.GetUtcNow().UtcDateTime.AddMinutes(-10));
        await InsertReservationAsync(factory, officer.Id + "|" + fresh, hash, factory.Clock.GetUtcNow().UtcDateTime);

        var retry = await SendAsync(client, Base, body, stale);
        var running = await SendAsync(client, Base, body, fresh);
        var withoutKey = await client.PostAsJsonAsync(Base, body);

        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        var problem = await Json(retry);
        Assert.Equal(20002, (int?)problem["errorCode"]);
        Assert.Equal(id, (string?)problem["existingId"]);
        // A reservation younger than the timeout is a request still running: left alone.
        Assert.Equal(10006, (int?)(await Json(running))["errorCode"]);
        Assert.Equal(id, (string?)(await Json(withoutKey))["existingId"]);
        Assert.Single(await CreatedIdsAsync(factory, person));
    }

    [SkippableFact]
    public async Task StoredResponse_IsEncryptedAndExpires()
    {
        using var factory = Create();
        var officer = await factory.CreateAsync(Roles.Officer);
        using var client = factory.ClientFor(officer);
        var person = TestData.NewIdNumber();
        var body = TestData.Declaration(person, residenceAddress: "太原市小店区幂等加密路8号");
        var key = "enc-" + Guid.NewGuid();

        var first = await SendAsync(client, Base, body, key);
        var replay = await SendAsync(client, Base, body, key);
        var stored = await StoredBodyAsync(factory, officer.Id + "|" + key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        var text = Encoding.UTF8.GetString(stored!);
        Assert.StartsWith("enc:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("幂等加密路", text, StringComparison.Ordinal);
        Assert.DoesNotContain("王小明", text, StringComparison.Ordinal);
        Assert.DoesNotContain(person[14..], text, StringComparison.Ordinal);

        // Past the retention (24 h by default) the answer is gone: a repeat runs again, and the next write sweeps.
        var other = "other-" + Guid.NewGuid();
        await SendAsync(client, Base, TestData.Declaration(), other);
        await AgeRecordsAsync(factory, TimeSpan.FromHours(25));
        factory.Clock.Advance(TimeSpan.FromMinutes(2)); // the sweep runs at most once a minute
        var late = await SendAsync(client, Base, body, key);
        Assert.False(late.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Null(await StoredBodyAsync(factory, officer.Id + "|" + other));
    }

    [SkippableFact]
    public async Task SearchById_NoHit_IsAuditedUnderTheLookupHashOnly()
    {
        using var factory = Create();
        using var officer = await factory.ClientAsAsync(Roles.Officer);
        var person = TestData.NewIdNumber();

        var search = await officer.PostAsJsonAsync(Base + "/search", new { idNumber = person });
        using var chief = await factory.ClientAsAsync(Roles.StationChief);
        var audit = await chief.PostAsJsonAsync("/api/v1/audit/search", new { idNumber = person });

        Assert.Equal("[]", await search.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
        Assert.Contains((await Json(audit))["items"]!.AsArray(), i => (string?)i!["operation"] == "SearchRegistrationsByIdNumber" && (string?)i["action"] == "search");
        // The audit search by person is itself audited: the person sees both searches.
        Assert.Equal(2, await SearchEntriesAsync(factory, person));
        using var migrant = await factory.ClientAsAsync(Roles.Migrant, "", "", person);
        var log = await Json(await migrant.GetAsync("/api/v1/me/access-log"));
        Assert.Equal(2, (int?)log["total"]);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var entries = await db.AuditEntries.AsNoTracking().ToListAsync();
        Assert.DoesNotContain(entries, e => (e.Fields + e.Purpose + e.PersonIdHmac + e.Operation).Contains(person, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Reporter_DeclaringWhereSomeoneElseRegisteredThePerson_LearnsNothingOfIt()
    {
        using var factory = Create();
        using var officer = await factory.ClientAsAsync(Roles.Officer);
        var person = TestData.NewIdNumber();
        var address = "太原市小店区报告人路3号";
        var existing = await DeclareAsync(officer, TestData.Declaration(person, residenceAddress: address));
        using var landlord = await factory.ClientAsAsync(Roles.Reporter, "", "");

        var response = await landlord.PostAsJsonAsync(Base, TestData.Declaration(person, residenceAddress: address));

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.DoesNotContain(existing, text, StringComparison.Ordinal);
        Assert.DoesNotContain("existingId", text, StringComparison.Ordinal);
        Assert.DoesNotContain("20002", text, StringComparison.Ordinal);
        Assert.Equal("received", (string?)JsonNode.Parse(text)!["status"]);
        Assert.Equal([Guid.Parse(existing)], await CreatedIdsAsync(factory, person));
        Assert.Equal(0, (int?)(await Json(await landlord.GetAsync(Base)))["total"]);

        // Their own open declaration is theirs to know: a repeat names it.
        var tenant = TestData.NewIdNumber();
        var own = await DeclareAsync(landlord, TestData.Declaration(tenant, residenceAddress: "太原市小店区报告人路4号"));
        var again = await landlord.PostAsJsonAsync(Base, TestData.Declaration(tenant, residenceAddress: "太原市小店区报告人路4号"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(own, (string?)(await Json(again))["existingId"]);
    }

    [SkippableFact]
    public async Task Reporter_MovingOwnReportToWhereSomeoneElseRegisteredThePerson_LearnsNothingOfIt()
    {
        using var factory = Create();
        using var officer = await factory.ClientAsAsync(Roles.Officer);
        var person = TestData.NewIdNumber();
        var address = "太原市小店区报告人路5号";
        var existing = await DeclareAsync(officer, TestData.Declaration(person, residenceAddress: address));
        using var landlord = await factory.ClientAsAsync(Roles.Reporter, "", "");
        var own = await DeclareAsync(landlord, TestData.Declaration(person, residenceAddress: "太原市小店区报告人路6号"));

        var response = await landlord.PostAsJsonAsync($"{Base}/{own}/changes", new { version = 1, reason = "搬到新住处", changes = new { residenceAddress = address } });

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, text);
        Assert.DoesNotContain(existing, text, StringComparison.Ordinal);
        Assert.DoesNotContain("existingId", text, StringComparison.Ordinal);
        Assert.DoesNotContain("20002", text, StringComparison.Ordinal);
        Assert.Equal("received", (string?)JsonNode.Parse(text)!["status"]);
        // Nothing written: the reporter's record keeps its version and address.
        var after = await Json(await landlord.GetAsync($"{Base}/{own}"));
        Assert.Equal(1, (int?)after["version"]);
        Assert.DoesNotContain("报告人路5号", after.ToJsonString(), StringComparison.Ordinal);
    }

    private SojournAppFactory Create(CrashAfterCommit? crash = null)
    {
        if (kind == DatabaseKind.Postgres && PostgresCluster.FindBinDir() is null)
        {
            Skip.If(!string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), PostgresCluster.EnableHint);
        }

        return crash is null
            ? new SojournAppFactory(kind)
            : new SojournAppFactory(kind, b => b.ConfigureTestServices(s =>
            {
                s.ConfigureDbContext<SqliteSojournDbContext>(o => o.AddInterceptors(crash));
                s.ConfigureDbContext<PostgresSojournDbContext>(o => o.AddInterceptors(crash));
            }));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, JsonObject body, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static async Task<string> DeclareAsync(HttpClient client, JsonObject body)
    {
        var response = await client.PostAsJsonAsync(Base, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)(await Json(response))["id"]!;
    }

    private static async Task<List<Guid>> CreatedIdsAsync(SojournAppFactory factory, string person)
    {
        using var scope = factory.Services.CreateScope();
        var hash = scope.ServiceProvider.GetRequiredService<IdentityProtector>().LookupHash(person);
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        return await db.Registrations.IgnoreQueryFilters().Where(r => r.PersonIdHmac == hash).Select(r => r.Id).ToListAsync();
    }

    private static async Task<int> SearchEntriesAsync(SojournAppFactory factory, string person)
    {
        using var scope = factory.Services.CreateScope();
        var hash = scope.ServiceProvider.GetRequiredService<IdentityProtector>().LookupHash(person);
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        return await db.AuditEntries.CountAsync(a => a.PersonIdHmac == hash && a.Action == "search");
    }

    private static async Task<int> IdempotencyRowsAsync(SojournAppFactory factory)
    {
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<SojournDbContext>().IdempotencyRecords.CountAsync();
    }

    private static async Task<byte[]?> StoredBodyAsync(SojournAppFactory factory, string key)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        return await db.IdempotencyRecords.AsNoTracking().Where(r => r.Key == key).Select(r => r.Body).FirstOrDefaultAsync();
    }

    private static async Task InsertReservationAsync(SojournAppFactory factory, string key, string hash, DateTime createdAt)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        db.IdempotencyRecords.Add(new IdempotencyRecord { Key = key, RequestHash = hash, CreatedAt = createdAt });
        await db.SaveChangesAsync();
    }

    private static async Task<string> RequestHashAsync(SojournAppFactory factory, string key)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        return await db.IdempotencyRecords.AsNoTracking().Where(r => r.Key == key).Select(r => r.RequestHash).SingleAsync();
    }

    /// <summary>Ages every kept answer by a span, as if it had been stored that long ago.</summary>
    private static async Task AgeRecordsAsync(SojournAppFactory factory, TimeSpan by)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var rows = await db.IdempotencyRecords.AsNoTracking().ToListAsync();
        await db.IdempotencyRecords.ExecuteDeleteAsync();
        db.IdempotencyRecords.AddRange(rows.Select(r => new IdempotencyRecord
        {
            Key = r.Key,
            RequestHash = r.RequestHash,
            StatusCode = r.StatusCode,
            ContentType = r.ContentType,
            Location = r.Location,
            ETag = r.ETag,
            Body = r.Body,
            CreatedAt = r.CreatedAt - by,
        }));
        await db.SaveChangesAsync();
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    /// <summary>
    /// Once armed, fails the idempotency middleware's own write after the request (a plain UPDATE or DELETE of the
    /// key, outside the operation's transaction): the state a kill -9 between the commit and that write leaves.
    /// </summary>
    private sealed class CrashAfterCommit : DbCommandInterceptor
    {
        public volatile bool Armed;
        public volatile bool Fired;

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Check(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Check(command);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void Check(DbCommand command)
        {
            var sql = command.CommandText;
            if (Armed && (sql.Contains("UPDATE \"IdempotencyRecords\" SET", StringComparison.Ordinal)
                          || sql.Contains("DELETE FROM \"IdempotencyRecords\"\r\nWHERE", StringComparison.Ordinal)
                          || sql.Contains("DELETE FROM \"IdempotencyRecords\"\nWHERE", StringComparison.Ordinal)))
            {
                Fired = true;
                throw new InvalidOperationException("simulated crash");
            }
        }
    }
}

public sealed class SqliteIdempotencyAuditTests() : IdempotencyAuditTests(DatabaseKind.Sqlite);

public sealed class PostgresIdempotencyAuditTests() : IdempotencyAuditTests(DatabaseKind.Postgres);
