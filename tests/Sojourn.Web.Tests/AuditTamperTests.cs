using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Cli.Commands;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Audit;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests;

/// <summary>
/// The audit log tried as an insider with write access to the database would (docs/adr/0006-audit-log-sequencer.md):
/// the triggers refuse UPDATE and DELETE; with them dropped, an edit, a deletion or a reordering breaks the chain,
/// and an edit with every later hash recomputed, a log emptied after a checkpoint, and an empty or foreign checkpoint
/// file fail against the SM2-signed heads. Each test has its own database, since it breaks the log on purpose.
/// </summary>
public abstract class AuditTamperTests(DatabaseKind kind)
{
    [SkippableFact]
    public async Task Update_TriggersInPlace_IsRefused()
    {
        using var factory = await ArrangeAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => factory.ExecAsync("UPDATE \"AuditEntries\" SET \"Purpose\" = 'x' WHERE \"Seq\" = 2"));
        await Assert.ThrowsAnyAsync<Exception>(() => factory.ExecAsync("UPDATE \"AuditEntries\" SET \"Hash\" = 'x' WHERE \"Seq\" = 2"));
        await Assert.ThrowsAnyAsync<Exception>(() => factory.ExecAsync("DELETE FROM \"AuditEntries\" WHERE \"Seq\" = 2"));
        await Assert.ThrowsAnyAsync<Exception>(() => factory.ExecAsync("DELETE FROM \"AuditSignedHeads\""));
        Assert.True((await factory.VerifyAuditOnlyAsync()).Intact);
    }

    [SkippableFact]
    public async Task Verify_RowEdited_NamesThatRow()
    {
        using var factory = await ArrangeAsync();
        await factory.DropAuditTriggersAsync();

        await factory.ExecAsync("UPDATE \"AuditEntries\" SET \"Purpose\" = 'curiosity' WHERE \"Seq\" = 3");

        var result = await factory.VerifyAuditOnlyAsync();
        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBadSeq);
        Assert.Equal(AuditFault.EntryAltered, result.Fault);
    }

    [SkippableFact]
    public async Task Verify_RowEditedAndEveryLaterHashRecomputed_FailsAgainstSignedHead()
    {
        using var factory = await ArrangeAsync();
        await factory.DropAuditTriggersAsync();

        await RewriteChainAsync(factory, rows => rows.Single(r => r.Seq == 3).Purpose = "curiosity");

        using (var scope = factory.Services.CreateScope())
        {
            // The chain alone is consistent again: only the signed head, which the database cannot re-sign, tells.
            Assert.True((await AuditChain.VerifyAsync(scope.ServiceProvider.GetRequiredService<SojournDbContext>(), CancellationToken.None)).Intact);
        }

        var result = await factory.VerifyAuditOnlyAsync();
        Assert.False(result.Intact);
        Assert.Equal(AuditFault.HeadMismatch, result.Fault);
        Assert.Equal(1, await CliVerifyAsync(factory));
    }

    [SkippableFact]
    public async Task Verify_RowDeleted_NamesTheGap()
    {
        using var factory = await ArrangeAsync();
        await factory.DropAuditTriggersAsync();

        await factory.ExecAsync("DELETE FROM \"AuditEntries\" WHERE \"Seq\" = 3");

        var result = await factory.VerifyAuditOnlyAsync();
        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBadSeq);
        Assert.Equal(AuditFault.EntryMissing, result.Fault);
    }

    [SkippableFact]
    public async Task Verify_RowsReordered_NamesFirstMovedRow()
    {
        using var factory = await ArrangeAsync();
        await factory.DropAuditTriggersAsync();

        await factory.ExecAsync(
            "UPDATE \"AuditEntries\" SET \"Seq\" = -2 WHERE \"Seq\" = 2",
            "UPDATE \"AuditEntries\" SET \"Seq\" = 2 WHERE \"Seq\" = 4",
            "UPDATE \"AuditEntries\" SET \"Seq\" = 4 WHERE \"Seq\" = -2");

        var result = await factory.VerifyAuditOnlyAsync();
        Assert.False(result.Intact);
        Assert.Equal(2, result.FirstBadSeq);
    }

    [SkippableFact]
    public async Task Verify_RowsReorderedAndChainRecomputed_FailsAgainstSignedHead()
    {
        using var factory = await ArrangeAsync();
        await factory.DropAuditTriggersAsync();

        await RewriteChainAsync(factory, rows =>
        {
            // The write (entry 1) moved behind two reads: reads of identical content would be indistinguishable.
            var (first, third) = (rows.Single(r => r.Seq == 1), rows.Single(r => r.Seq == 3));
            (first.Seq, third.Seq) = (3, 1);
        });

        var result = await factory.VerifyAuditOnlyAsync();
        Assert.False(result.Intact);
        Assert.Equal(AuditFault.HeadMismatch, result.Fault);
    }

    [SkippableFact]
    public async Task Verify_EveryRowDeletedAfterCheckpoint_Fails()
    {
        using var factory = await ArrangeAsync();
        await factory.DropAuditTriggersAsync();

        await factory.ExecAsync("DELETE FROM \"AuditEntries\"", "DELETE FROM \"AuditSignedHeads\"");

        var result = await factory.VerifyAuditOnlyAsync();
        Assert.False(result.Intact); // not 「完整：共 0 条」
        Assert.Equal(AuditFault.Truncated, result.Fault);
        Assert.Equal(1, result.FirstBadSeq);
        Assert.Equal(1, await CliVerifyAsync(factory));
    }

    [SkippableFact]
    public async Task Verify_TailDeletedAfterCheckpoint_NamesFirstMissingEntry()
    {
        using var factory = await ArrangeAsync();
        await factory.DropAuditTriggersAsync();

        await factory.ExecAsync("DELETE FROM \"AuditEntries\" WHERE \"Seq\" >= 4", "DELETE FROM \"AuditSignedHeads\"");

        var result = await factory.VerifyAuditOnlyAsync();
        Assert.False(result.Intact);
        Assert.Equal(AuditFault.Truncated, result.Fault);
        Assert.Equal(4, result.FirstBadSeq);
    }

    [SkippableFact]
    public async Task Verify_CheckpointFileEmptied_Fails()
    {
        using var factory = await ArrangeAsync();

        await File.WriteAllTextAsync(factory.AuditCheckpointFile, "");

        var result = await factory.VerifyAuditOnlyAsync();
        Assert.False(result.Intact);
        Assert.Equal(AuditFault.CheckpointMissing, result.Fault);
        Assert.Equal(1, await CliVerifyAsync(factory));
    }

    [SkippableFact]
    public async Task Verify_CheckpointSignedWithAnotherKey_Fails()
    {
        using var factory = await ArrangeAsync();
        var foreign = AuditSigningKey.LoadOrCreate(Path.Combine(factory.AuditDirectory, "foreign.key"));
        var genuine = AuditCheckpoint.ReadFile(factory.AuditCheckpointFile)[^1];
        var forged = foreign.Sign(genuine.Seq, genuine.Hash, genuine.MerkleRoot, genuine.SignedAt);

        var result = await factory.VerifyAuditOnlyAsync([forged]);
        Assert.False(result.Intact);
        Assert.Equal(AuditFault.CheckpointForeign, result.Fault);

        // A whole foreign log (file and verification key from elsewhere) does not match the heads in the database either.
        Assert.Equal(AuditFault.CheckpointForeign, (await factory.VerifyAuditOnlyAsync([forged], foreign.PublicKey)).Fault);
    }

    [SkippableFact]
    public async Task AccessLog_EachSealedRead_CarriesAnInclusionProofThatChecks()
    {
        if (kind == DatabaseKind.Postgres && PostgresCluster.FindBinDir() is null)
        {
            Skip.If(!string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), PostgresCluster.EnableHint);
        }

        using var factory = new SojournAppFactory(kind);
        var person = TestData.NewIdNumber();
        using var officer = await factory.ClientAsAsync(Roles.Officer);
        var created = await officer.PostAsJsonAsync("/api/v1/registrations", TestData.Declaration(person));
        var id = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync($"/api/v1/registrations/{id}")).StatusCode);
        }

        await factory.SealAuditAsync();
        using var migrant = await factory.ClientAsAsync(Roles.Migrant, "", "", person);
        var log = JsonNode.Parse(await migrant.GetStringAsync("/api/v1/me/access-log"))!;
        var items = log["items"]!.AsArray();
        Assert.True(items.Count >= 3);
        using var anyone = factory.CreateClient();
        foreach (var item in items)
        {
            var proof = item!["proof"];
            Assert.NotNull(proof);
            var check = JsonNode.Parse(await (await anyone.PostAsJsonAsync("/api/v1/audit/proofs/check", proof)).Content.ReadAsStringAsync())!;
            Assert.True((bool)check["valid"]!, check.ToJsonString());
        }

        var forged = items[0]!["proof"]!.DeepClone();
        forged["entryHash"] = new string('a', 64);
        var refused = JsonNode.Parse(await (await anyone.PostAsJsonAsync("/api/v1/audit/proofs/check", forged)).Content.ReadAsStringAsync())!;
        Assert.False((bool)refused["valid"]!);

        // A read not yet sealed says so (no proof).
        Assert.Equal(HttpStatusCode.OK, (await officer.GetAsync($"/api/v1/registrations/{id}")).StatusCode);
        var page = await migrant.GetStringAsync("/me/access-log");
        Assert.Contains("已封存", page, StringComparison.Ordinal);

        using var chief = await factory.ClientAsAsync(Roles.StationChief);
        var status = JsonNode.Parse(await chief.GetStringAsync("/api/v1/audit/status"))!;
        Assert.False((bool)status["alarm"]!);
        Assert.NotNull(status["lastSignedHead"]);
        Assert.Equal(HttpStatusCode.OK, (await chief.PostAsJsonAsync("/api/v1/audit/verify", new { })).StatusCode);
        var key = JsonNode.Parse(await anyone.GetStringAsync("/api/v1/audit/public-key"))!;
        Assert.Equal(130, ((string)key["publicKey"]!).Length);
    }

    /// <summary>What a forger with the database does: edit rows, then recompute every hash from the first changed one.</summary>
    private static async Task RewriteChainAsync(SojournAppFactory factory, Action<List<AuditEntry>> edit)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var rows = await db.AuditEntries.AsNoTracking().Where(a => a.Seq != null).ToListAsync();
        edit(rows);
        var prev = AuditChain.Genesis;
        foreach (var row in rows.OrderBy(r => r.Seq))
        {
            row.PrevHash = prev;
            row.Hash = AuditChain.ComputeHash(prev, row);
            prev = row.Hash;
            await db.Database.ExecuteSqlRawAsync(
                "UPDATE \"AuditEntries\" SET \"Seq\" = {0}, \"Purpose\" = {1}, \"PrevHash\" = {2}, \"Hash\" = {3} WHERE \"Id\" = {4}",
                -row.Seq!.Value, row.Purpose!, row.PrevHash, row.Hash, row.Id);
        }

        await db.Database.ExecuteSqlRawAsync("UPDATE \"AuditEntries\" SET \"Seq\" = -\"Seq\" WHERE \"Seq\" < 0");
    }

    /// <summary><c>sojourn audit verify</c> in process against the factory's database, key and checkpoint file.</summary>
    private static async Task<int> CliVerifyAsync(SojournAppFactory factory)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var command = AuditCommands.Create(output, errors);
        var code = await command.Parse([
            "verify", "--provider", factory.Kind == DatabaseKind.Sqlite ? "sqlite" : "postgres", "--connection", factory.ConnectionString,
            "--key-file", factory.AuditKeyFile, "--checkpoint", factory.AuditCheckpointFile,
        ]).InvokeAsync();
        if (code == 1)
        {
            Assert.Matches(@"错误码 600\d\d", errors.ToString());
        }

        return code;
    }

    /// <summary>A fresh database with one declaration and four reads: audit entries 1 (write) to 5, sealed and signed.</summary>
    private async Task<SojournAppFactory> ArrangeAsync()
    {
        if (kind == DatabaseKind.Postgres && PostgresCluster.FindBinDir() is null)
        {
            Skip.If(!string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), PostgresCluster.EnableHint);
        }

        var factory = new SojournAppFactory(kind);
        using var client = await factory.ClientAsAsync(Roles.Officer);
        var created = await client.PostAsJsonAsync("/api/v1/registrations", TestData.Declaration());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!;
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/registrations/{id}")).StatusCode);
        }

        var intact = await factory.VerifyAuditAsync();
        Assert.True(intact.Intact, intact.Problem);
        Assert.Equal(5, intact.Checked);
        Assert.Equal(0, await CliVerifyAsync(factory));
        return factory;
    }
}

public sealed class SqliteAuditTamperTests() : AuditTamperTests(DatabaseKind.Sqlite);

public sealed class PostgresAuditTamperTests() : AuditTamperTests(DatabaseKind.Postgres);
