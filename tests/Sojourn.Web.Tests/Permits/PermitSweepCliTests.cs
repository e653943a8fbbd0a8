using System.CommandLine;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Application.Permits;
using Sojourn.Cli;
using Sojourn.Cli.Commands;
using Sojourn.Data;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Permits;

/// <summary>
/// <c>sojourn permit sweep</c> runs the same use case as the web endpoint and the hosted service, in the CLI's own
/// container against the app's database: the permit changes, the history row and the credential follow from the
/// events, the declared writes are audited as system:cli, and a second run changes nothing.
/// </summary>
public abstract class PermitSweepCliTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    [SkippableFact]
    public async Task CliSweep_EndorsementOverdue_SuspendsWithHistoryCredentialAndAuditThenChangesNothing()
    {
        var place = PermitPlace.Taizhou;
        using var officer = await Factory.StaffAsync("officer", place);
        var permit = await Factory.IssuedAsync(officer, place);
        var id = Guid.Parse((string)permit["id"]!);
        Factory.Clock.SetToday(ApplyFlow.Day(permit["endorsementDue"])!.Value.AddDays(1));
        var eventsBefore = await CountEventsAsync(id);

        var (code, stdout, stderr) = Run("--json");
        var (againCode, again, _) = Run("--json");
        var (textCode, text, _) = Run();

        Assert.True(code == 0, stderr);
        var result = JsonNode.Parse(stdout)!;
        var change = Assert.Single(result["changes"]!.AsArray(), c => (string?)c!["permitId"] == id.ToString())!;
        Assert.Equal("suspended", (string?)change["statusAfter"]);
        Assert.True((int)result["suspended"]! >= 1);
        Assert.Equal(0, againCode);
        Assert.Empty(JsonNode.Parse(again)!["changes"]!.AsArray());
        Assert.Equal(0, textCode);
        Assert.Matches(@"^截至 \d{4}-\d{2}-\d{2}：中止 0 张，废止 0 张，失效 0 张，离境逾期未返注销 0 张。", text);

        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var stored = await db.Permits.AsNoTracking().IgnoreQueryFilters().SingleAsync(p => p.Id == id);
        Assert.Equal("suspended", stored.Status);
        var events = await db.PermitEvents.AsNoTracking().IgnoreQueryFilters().Where(e => e.PermitId == id).OrderBy(e => e.Number).ToListAsync();
        Assert.Equal(eventsBefore + 1, events.Count);
        Assert.Equal(("endorsement-missed", "cli"), (events[^1].Kind, events[^1].Actor));
        var credentials = await db.IssuedCredentials.AsNoTracking().IgnoreQueryFilters().Where(c => c.PermitId == id).ToListAsync();
        Assert.Contains(credentials, c => c.Status == EPermitService.Suspended);
        Assert.DoesNotContain(credentials, c => c.Status == EPermitService.Active);
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.RegistrationId == stored.RegistrationId && a.Operation == "SweepPermits").ToListAsync();
        var entry = Assert.Single(audit);
        Assert.Equal(("system:cli", "system", "write", "status"), (entry.AccountId, entry.ActorRole, entry.Action, entry.Fields));
        Assert.False(string.IsNullOrEmpty(entry.PersonIdHmac));
    }

    [SkippableFact]
    public async Task HostedSweep_OnAnotherNode_RunsTheUseCaseAndAuditsAsTheJob()
    {
        var place = PermitPlace.Taizhou;
        using var officer = await Factory.StaffAsync("officer", place);
        var permit = await Factory.IssuedAsync(officer, place);
        var id = Guid.Parse((string)permit["id"]!);
        var day = ApplyFlow.Day(permit["endorsementDue"])!.Value.AddDays(1);
        Factory.Clock.SetToday(day);

        // A second node over the same database with the daily job on: its first run starts with the host.
        using var node = new SojournAppFactory(Factory);
        node.Clock.SetToday(day);
        using var withJob = node.WithWebHostBuilder(b => b.UseSetting("Sojourn:Permits:Sweep:IntervalMinutes", "1440"));
        using var scope = withJob.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        List<Data.Audit.AuditEntry> audit = [];
        for (var i = 0; i < 100 && audit.Count == 0; i++)
        {
            await Task.Delay(100);
            audit = await db.AuditEntries.AsNoTracking().Where(a => a.Operation == "SweepPermits" && a.AccountId == "system:sweep").ToListAsync();
        }

        var stored = await db.Permits.AsNoTracking().IgnoreQueryFilters().SingleAsync(p => p.Id == id);
        Assert.Equal("suspended", stored.Status);
        Assert.Contains(audit, a => a.RegistrationId == stored.RegistrationId && a.Action == "write");
    }

    [SkippableFact]
    public void CliSweep_WithoutKeys_IsAUsageErrorOnOneLine()
    {
        var (code, _, stderr) = Run(new ConfigurationBuilder().Build());

        Assert.Equal(CliHost.UsageError, code);
        Assert.StartsWith("错误：缺少或无效的密钥", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    private (int Code, string Stdout, string Stderr) Run(params string[] extra) =>
        Run(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // The keys the test app uses (SojournAppFactory), as Sojourn__Crypto__… would give them.
            ["Sojourn:Crypto:Sm4Key"] = "00112233445566778899aabbccddeeff",
            ["Sojourn:Crypto:HmacKey"] = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100",
        }).Build(), extra);

    private (int Code, string Stdout, string Stderr) Run(IConfiguration configuration, params string[] extra)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var root = new RootCommand { PermitCommands.Create(Factory.Clock, stdout, stderr, configuration) };
        var provider = Factory.Kind == DatabaseKind.Sqlite ? "sqlite" : "postgres";
        var code = CliHost.Run(root, ["permit", "sweep", "--provider", provider, "--connection", Factory.ConnectionString, .. extra], stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private async Task<int> CountEventsAsync(Guid id)
    {
        using var scope = Factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<SojournDbContext>().PermitEvents.IgnoreQueryFilters().CountAsync(e => e.PermitId == id);
    }
}

public sealed class SqlitePermitSweepCliTests(SqliteAppFixture fixture)
    : PermitSweepCliTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresPermitSweepCliTests(PostgresAppFixture fixture)
    : PermitSweepCliTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
