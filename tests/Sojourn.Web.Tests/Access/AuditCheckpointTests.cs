using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Audit;
using Sojourn.Web.Access;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Access;

/// <summary>
/// Tail deletion: the chain alone cannot show that its newest entries were deleted; a checkpoint of the
/// head kept outside the database can. Triggers are dropped first, as the table owner could.
/// </summary>
public abstract class AuditCheckpointTests(DatabaseKind kind)
{
    private static readonly byte[] Key = Convert.FromHexString("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

    [SkippableFact]
    public async Task Verify_TailDeletedAfterCheckpoint_NamesFirstMissingEntry()
    {
        using var factory = await ArrangeAsync();
        var checkpoint = await CheckpointAsync(factory, Key);
        await factory.DropAuditTriggersAsync();

        await factory.ExecAsync("DELETE FROM \"AuditEntries\" WHERE \"Seq\" >= 4");

        Assert.True((await VerifyAsync(factory, [])).Intact); // the chain alone cannot tell
        var result = await VerifyAsync(factory, [checkpoint], Key);
        Assert.False(result.Intact);
        Assert.Equal(4, result.FirstBadSeq);
        Assert.Contains("第 4 条起缺失", result.Problem, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Verify_TailReplacedByNewEntries_NamesCheckpointedEntry()
    {
        using var factory = await ArrangeAsync();
        var checkpoint = await CheckpointAsync(factory, null);
        await factory.DropAuditTriggersAsync();
        await factory.ExecAsync("DELETE FROM \"AuditEntries\" WHERE \"Seq\" >= 4");

        // Regrow the chain past the checkpoint with other (valid, re-linked) entries.
        using (var client = await factory.ClientAsAsync(Roles.Officer))
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/registrations", TestData.Declaration())).StatusCode);
            }
        }

        Assert.True((await VerifyAsync(factory, [])).Intact);
        var result = await VerifyAsync(factory, [checkpoint]);
        Assert.Equal(5, result.FirstBadSeq);
    }

    [SkippableFact]
    public async Task Verify_CheckpointForgedWithoutKey_Fails()
    {
        using var factory = await ArrangeAsync();
        var signed = await CheckpointAsync(factory, Key);
        // Someone who shortens the chain also "shortens" the checkpoint, but cannot sign it.
        var forged = signed with { Seq = 3, Hash = (await HeadHashAtAsync(factory, 3))! };

        Assert.True((await VerifyAsync(factory, [signed], Key)).Intact);
        var result = await VerifyAsync(factory, [forged], Key);
        Assert.False(result.Intact);
        Assert.Contains("签名无效", result.Problem, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Checkpoint_JsonLine_RoundTripsAndStillVerifies()
    {
        using var factory = await ArrangeAsync();
        var checkpoint = await CheckpointAsync(factory, Key);

        var parsed = AuditCheckpoint.ParseFile(checkpoint.ToJsonLine() + "\n\n" + checkpoint.ToJsonLine() + "\n");

        Assert.Equal(2, parsed.Count);
        Assert.True(parsed[0].MacValid(Key));
        Assert.Equal(5, parsed[0].Seq);
        Assert.True((await VerifyAsync(factory, parsed, Key)).Intact);
        Assert.Throws<FormatException>(() => AuditCheckpoint.ParseFile("{\"seq\":1}\nnot json"));
    }

    [SkippableFact]
    public async Task Writer_Configured_AppendsHeadWhenItMoves()
    {
        var file = Path.Combine(Path.GetTempPath(), $"sojourn-checkpoint-{Guid.NewGuid():N}.jsonl");
        try
        {
            using var factory = await ArrangeAsync(b =>
            {
                b.UseSetting("Sojourn:Audit:CheckpointFile", file);
                b.UseSetting("Sojourn:Audit:CheckpointKey", Convert.ToHexString(Key));
            });
            var writer = factory.Services.GetRequiredService<AuditCheckpointWriter>();

            Assert.Equal(5, await writer.WriteOnceAsync(CancellationToken.None));
            Assert.Equal(5, await writer.WriteOnceAsync(CancellationToken.None)); // unchanged: no new line
            var lines = AuditCheckpoint.ParseFile(await File.ReadAllTextAsync(file));

            Assert.Equal(5, lines[^1].Seq);
            Assert.Single(lines, l => l.Seq == 5);
            Assert.True((await VerifyAsync(factory, lines, Key)).Intact);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>A fresh database with one declaration and four reads: audit entries 1 (write) to 5.</summary>
    private async Task<SojournAppFactory> ArrangeAsync(Action<IWebHostBuilder>? configure = null)
    {
        if (kind == DatabaseKind.Postgres && PostgresCluster.FindBinDir() is null)
        {
            Skip.If(!string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), PostgresCluster.EnableHint);
        }

        var factory = new SojournAppFactory(kind, configure);
        using var client = await factory.ClientAsAsync(Roles.Officer);
        var created = await client.PostAsJsonAsync("/api/v1/registrations", TestData.Declaration());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!;
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/registrations/{id}")).StatusCode);
        }

        return factory;
    }

    private static async Task<AuditCheckpoint> CheckpointAsync(SojournAppFactory factory, byte[]? key)
    {
        using var scope = factory.Services.CreateScope();
        var head = await AuditChain.HeadAsync(scope.ServiceProvider.GetRequiredService<SojournDbContext>(), CancellationToken.None);
        Assert.NotNull(head);
        Assert.Equal(5, head.Seq);
        return AuditCheckpoint.Create(head, FixedTimeProvider.Now.UtcDateTime, key);
    }

    private static async Task<string?> HeadHashAtAsync(SojournAppFactory factory, long seq)
    {
        using var scope = factory.Services.CreateScope();
        return await AuditChain.HashAtAsync(scope.ServiceProvider.GetRequiredService<SojournDbContext>(), seq, CancellationToken.None);
    }

    private static async Task<AuditVerification> VerifyAsync(SojournAppFactory factory, IReadOnlyList<AuditCheckpoint> checkpoints, byte[]? key = null)
    {
        using var scope = factory.Services.CreateScope();
        return await AuditCheckpoint.VerifyAsync(scope.ServiceProvider.GetRequiredService<SojournDbContext>(), checkpoints, key, CancellationToken.None);
    }
}

public sealed class SqliteAuditCheckpointTests() : AuditCheckpointTests(DatabaseKind.Sqlite);

public sealed class PostgresAuditCheckpointTests() : AuditCheckpointTests(DatabaseKind.Postgres);
