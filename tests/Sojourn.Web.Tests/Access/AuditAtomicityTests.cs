using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Audit;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Access;

/// <summary>
/// A write and the audit entry recording it commit together or not at all: failures are injected in the
/// database itself (a trigger refusing the audit insert; a deferred constraint failing at COMMIT, after
/// both were written). Each test has its own database.
/// </summary>
public abstract class AuditAtomicityTests(DatabaseKind kind)
{
    [SkippableFact]
    public async Task Declare_AuditAppendFails_NoRegistrationSaved()
    {
        using var factory = Create();
        using var client = await factory.ClientAsAsync(Roles.Officer);
        await factory.ExecAsync(kind == DatabaseKind.Sqlite
            ? ["CREATE TRIGGER \"TR_Test_FailAudit\" BEFORE INSERT ON \"AuditEntries\" BEGIN SELECT RAISE(ABORT, 'audit store down'); END"]
            : [
                "CREATE FUNCTION test_fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store down'; END $$",
                "CREATE TRIGGER \"TR_Test_FailAudit\" BEFORE INSERT ON \"AuditEntries\" FOR EACH ROW EXECUTE FUNCTION test_fail_audit()",
            ]);

        var response = await client.PostAsJsonAsync("/api/v1/registrations", TestData.Declaration());

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal((0, 0), await CountAsync(factory));
        await factory.ExecAsync(kind == DatabaseKind.Sqlite ? ["DROP TRIGGER \"TR_Test_FailAudit\""] : ["DROP TRIGGER \"TR_Test_FailAudit\" ON \"AuditEntries\""]);
        await AssertNextWriteWorksAsync(factory, client);
    }

    [SkippableFact]
    public async Task Declare_CommitFailsAfterAuditAppend_NeitherSaved()
    {
        using var factory = Create();
        using var client = await factory.ClientAsAsync(Roles.Officer);
        // Each audit insert adds a dangling reference that a deferred foreign key refuses only at COMMIT.
        await factory.ExecAsync(kind == DatabaseKind.Sqlite
            ?
            [
                "CREATE TABLE \"TestParent\" (\"Id\" INTEGER PRIMARY KEY)",
                "CREATE TABLE \"TestChild\" (\"ParentId\" INTEGER REFERENCES \"TestParent\" (\"Id\") DEFERRABLE INITIALLY DEFERRED)",
                "CREATE TRIGGER \"TR_Test_FailCommit\" AFTER INSERT ON \"AuditEntries\" BEGIN INSERT INTO \"TestChild\" VALUES (42); END",
            ]
            :
            [
                "CREATE TABLE \"TestParent\" (\"Id\" integer PRIMARY KEY)",
                "CREATE TABLE \"TestChild\" (\"ParentId\" integer REFERENCES \"TestParent\" (\"Id\") DEFERRABLE INITIALLY DEFERRED)",
                "CREATE FUNCTION test_fail_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO \"TestChild\" VALUES (42); RETURN NEW; END $$",
                "CREATE TRIGGER \"TR_Test_FailCommit\" AFTER INSERT ON \"AuditEntries\" FOR EACH ROW EXECUTE FUNCTION test_fail_commit()",
            ]);

        var response = await client.PostAsJsonAsync("/api/v1/registrations", TestData.Declaration());

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal((0, 0), await CountAsync(factory));
        await factory.ExecAsync(kind == DatabaseKind.Sqlite ? ["DROP TRIGGER \"TR_Test_FailCommit\""] : ["DROP TRIGGER \"TR_Test_FailCommit\" ON \"AuditEntries\""]);
        await AssertNextWriteWorksAsync(factory, client);
    }

    [SkippableFact]
    public async Task Change_StaleVersion_NoAuditEntry()
    {
        using var factory = Create();
        using var client = await factory.ClientAsAsync(Roles.Officer);
        var id = await DeclareAsync(client);
        var before = await CountAsync(factory);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/registrations/{id}/changes")
        {
            Content = JsonContent.Create(new { version = 7, changes = new { workplace = "太原市某公司" } }),
        };
        request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"7\""));
        var response = await client.SendAsync(request);

        Assert.True((int)response.StatusCode is >= 400 and < 500, response.StatusCode.ToString());
        Assert.Equal(before, await CountAsync(factory));
    }

    [SkippableFact]
    public async Task Declare_ManyAtOnce_ChainGaplessAndEveryWriteAudited()
    {
        using var factory = Create();
        var clients = new List<HttpClient>();
        for (var i = 0; i < 4; i++)
        {
            clients.Add(await factory.ClientAsAsync(Roles.Officer));
        }

        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(async i =>
        {
            var client = clients[i % clients.Count];
            var created = await client.PostAsJsonAsync("/api/v1/registrations", TestData.Declaration());
            var id = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!;
            return (await client.GetAsync($"/api/v1/registrations/{id}")).StatusCode;
        }));

        Assert.All(responses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal((24, 48), await CountAsync(factory));
        var verification = await factory.VerifyAuditAsync();
        Assert.True(verification.Intact, verification.Problem);
        foreach (var c in clients)
        {
            c.Dispose();
        }
    }

    private SojournAppFactory Create()
    {
        if (kind == DatabaseKind.Postgres && PostgresCluster.FindBinDir() is null)
        {
            Skip.If(!string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), PostgresCluster.EnableHint);
        }

        return new SojournAppFactory(kind);
    }

    private static async Task AssertNextWriteWorksAsync(SojournAppFactory factory, HttpClient client)
    {
        await DeclareAsync(client);
        Assert.Equal((1, 1), await CountAsync(factory));
        var verification = await factory.VerifyAuditAsync();
        Assert.True(verification.Intact, verification.Problem);
    }

    private static async Task<string> DeclareAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/v1/registrations", TestData.Declaration());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!;
    }

    private static async Task<(int Registrations, int AuditEntries)> CountAsync(SojournAppFactory factory)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        return (await db.Registrations.IgnoreQueryFilters().CountAsync(), await db.AuditEntries.CountAsync());
    }
}

public sealed class SqliteAuditAtomicityTests() : AuditAtomicityTests(DatabaseKind.Sqlite);

public sealed class PostgresAuditAtomicityTests() : AuditAtomicityTests(DatabaseKind.Postgres);
