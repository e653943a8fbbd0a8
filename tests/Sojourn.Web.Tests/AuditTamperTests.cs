using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Audit;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests;

/// <summary>
/// The audit log refuses UPDATE and DELETE, and when the triggers are dropped (as the table owner or a
/// superuser could) the SM3 chain still names the first altered, removed or reordered entry.
/// Each test has its own database, since it breaks the chain on purpose.
/// </summary>
public abstract class AuditTamperTests(DatabaseKind kind)
{
    [SkippableFact]
    public async Task Update_TriggersInPlace_IsRefused()
    {
        using var factory = await ArrangeAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => factory.ExecAsync("UPDATE \"AuditEntries\" SET \"Purpose\" = 'x' WHERE \"Seq\" = 2"));
        await Assert.ThrowsAnyAsync<Exception>(() => factory.ExecAsync("DELETE FROM \"AuditEntries\" WHERE \"Seq\" = 2"));
        Assert.True((await factory.VerifyAuditAsync()).Intact);
    }

    [SkippableFact]
    public async Task Verify_RowEdited_NamesThatRow()
    {
        using var factory = await ArrangeAsync();
        await factory.DropAuditTriggersAsync();

        await factory.ExecAsync("UPDATE \"AuditEntries\" SET \"Purpose\" = 'curiosity' WHERE \"Seq\" = 3");

        var result = await factory.VerifyAuditAsync();
        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBadSeq);
    }

    [SkippableFact]
    public async Task Verify_RowEditedWithRecomputedOwnHash_NamesNextRow()
    {
        using var factory = await ArrangeAsync();
        await factory.DropAuditTriggersAsync();
        // A careful forger recomputes the edited row's own hash; the next row's link still breaks.
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
            var row = await db.AuditEntries.AsNoTracking().SingleAsync(a => a.Seq == 3);
            row.Purpose = "curiosity";
            var hash = AuditChain.ComputeHash(row.PrevHash, row);
            await db.Database.ExecuteSqlRawAsync("UPDATE \"AuditEntries\" SET \"Purpose\" = 'curiosity', \"Hash\" = {0} WHERE \"Seq\" = 3", hash);
        }

        var result = await factory.VerifyAuditAsync();
        Assert.Equal(4, result.FirstBadSeq);
    }

    [SkippableFact]
    public async Task Verify_RowDeleted_NamesTheGap()
    {
        using var factory = await ArrangeAsync();
        await factory.DropAuditTriggersAsync();

        await factory.ExecAsync("DELETE FROM \"AuditEntries\" WHERE \"Seq\" = 3");

        var result = await factory.VerifyAuditAsync();
        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBadSeq);
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

        var result = await factory.VerifyAuditAsync();
        Assert.False(result.Intact);
        Assert.Equal(2, result.FirstBadSeq);
    }

    /// <summary>A fresh database with one declaration and four reads: audit entries 1 (write) to 5.</summary>
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
        return factory;
    }
}

public sealed class SqliteAuditTamperTests() : AuditTamperTests(DatabaseKind.Sqlite);

public sealed class PostgresAuditTamperTests() : AuditTamperTests(DatabaseKind.Postgres);
