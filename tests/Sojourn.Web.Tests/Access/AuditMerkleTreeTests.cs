using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Data.Audit;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Access;

/// <summary>
/// <see cref="AuditMerkleTree"/>: the signed head's root and the inclusion proofs built from stored nodes and tiles
/// equal the RFC 6962 tree recomputed from every entry, at sizes on and around tile boundaries, as the log grows in
/// uneven sealing batches; and the stored nodes are append-only.
/// </summary>
public abstract class AuditMerkleTreeTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    [SkippableFact]
    public async Task RootAndProofs_FromStoredNodes_EqualTheTreeOfEveryEntry()
    {
        var factory = Factory;
        var random = new Random(20261207);
        var nodesSeen = false;
        foreach (var append in new[] { 3, 250, 5, 256, 1, 511, 130, 300 })
        {
            await AppendAsync(factory, append);
            await factory.SealAuditAsync();
            using (var scope = factory.Services.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
                var leaves = await db.AuditEntries.AsNoTracking().Where(a => a.Seq != null).OrderBy(a => a.Seq).Select(a => a.Hash!).ToListAsync();
                var size = leaves.Count;
                foreach (var n in new[] { size, size - 1, 256, 257, 512, 1 }.Where(n => n >= 1 && n <= size).Distinct())
                {
                    Assert.Equal(AuditMerkle.Root(leaves[..n]), await AuditMerkleTree.RootAsync(db, n, CancellationToken.None));
                    var tree = AuditMerkleTree.Open(db);
                    foreach (var index in new long[] { 0, 255, 256, n - 1, random.NextInt64(n) }.Where(i => i < n).Distinct())
                    {
                        var expected = AuditMerkle.InclusionPath(leaves[..n], index);
                        var path = await tree.InclusionPathAsync(index, n, CancellationToken.None);
                        Assert.Equal(expected, path);
                        Assert.True(AuditMerkle.VerifyInclusion(leaves[(int)index], index, n, path!, AuditMerkle.Root(leaves[..n])));
                    }
                }

                var stored = await db.AuditMerkleNodes.AsNoTracking().ToListAsync();
                // Every complete tile, and every complete parent above, is stored once the seal has passed it.
                Assert.Equal(size / 256, stored.Count(s => s.Level == AuditMerkleTree.TileLevel));
                Assert.Equal(size / 512, stored.Count(s => s.Level == AuditMerkleTree.TileLevel + 1));
                nodesSeen |= stored.Count > 0;
            }
        }

        Assert.True(nodesSeen);
        var verification = await factory.VerifyAuditAsync();
        Assert.True(verification.Intact, verification.Problem);
        await Assert.ThrowsAnyAsync<Exception>(() => factory.ExecAsync("UPDATE \"AuditMerkleNodes\" SET \"Hash\" = 'x'"));
        await Assert.ThrowsAnyAsync<Exception>(() => factory.ExecAsync("DELETE FROM \"AuditMerkleNodes\""));
    }

    [SkippableFact]
    public async Task NodesMissing_CaughtUpAtTheNextSeal_AndAnEditedNode_FailsVerification()
    {
        // A database of its own: the node triggers are dropped here, as someone with direct access could.
        using var factory = new SojournAppFactory(Factory.Kind);
        await AppendAsync(factory, 600);
        await factory.SealAuditAsync();
        await factory.ExecAsync(factory.Kind == DatabaseKind.Sqlite
            ? ["DROP TRIGGER \"TR_AuditMerkleNodes_NoUpdate\"", "DROP TRIGGER \"TR_AuditMerkleNodes_NoDelete\""]
            : ["DROP TRIGGER \"TR_AuditMerkleNodes_NoUpdateDelete\" ON \"AuditMerkleNodes\""]);

        // A log that predates the table: no stored node; the next seal builds them all.
        await factory.ExecAsync("DELETE FROM \"AuditMerkleNodes\"");
        await AppendAsync(factory, 1);
        await factory.SealAuditAsync();
        using (var scope = factory.Services.CreateScope())
        {
            var nodes = await scope.ServiceProvider.GetRequiredService<SojournDbContext>().AuditMerkleNodes.AsNoTracking().ToListAsync();
            Assert.Equal([(8, 0L), (8, 1L), (9, 0L)], nodes.Select(n => (n.Level, n.Index)).Order().ToList());
        }

        var intact = await factory.VerifyAuditAsync();
        Assert.True(intact.Intact, intact.Problem);

        // An edited node: the next head is signed over a root the entries do not give, and verification says so.
        await factory.ExecAsync("UPDATE \"AuditMerkleNodes\" SET \"Hash\" = '" + new string('0', 64) + "' WHERE \"Level\" = 9");
        await AppendAsync(factory, 300);
        await factory.SealAuditAsync();
        var tampered = await factory.VerifyAuditOnlyAsync();
        Assert.False(tampered.Intact);
        Assert.Equal(AuditFault.MerkleMismatch, tampered.Fault);
    }

    [Fact]
    public void RootBuilder_OneLeafAtATime_EqualsTheRecursiveRoot()
    {
        var leaves = Enumerable.Range(0, 70).Select(i => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(i)))).ToList();
        for (var n = 0; n <= leaves.Count; n++)
        {
            var builder = new AuditMerkle.RootBuilder();
            leaves.Take(n).ToList().ForEach(builder.Add);
            Assert.Equal(AuditMerkle.Root(leaves[..n]), builder.Root());
        }
    }

    private static async Task AppendAsync(SojournAppFactory factory, int count)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        await AuditChain.AppendAsync(db, [.. Enumerable.Range(0, count).Select(Entry)], CancellationToken.None);
    }

    private static AuditEntry Entry(int i) => new()
    {
        At = DateTime.UtcNow,
        AccountId = "system:merkle-test",
        ActorRole = "system",
        Office = "",
        Action = "read",
        Operation = "MerkleTreeTest",
        Fields = "status",
        PersonIdHmac = "merkle-test-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

public sealed class SqliteAuditMerkleTreeTests(SqliteAppFixture fixture)
    : AuditMerkleTreeTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresAuditMerkleTreeTests(PostgresAppFixture fixture)
    : AuditMerkleTreeTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
