using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Cli.Commands;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Security;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Permits;

/// <summary>
/// Reminders: created once per permit, kind and deadline however often the job runs, with an SMS outbox
/// row (number still encrypted, no identity number in the text) where the permit has a phone; each
/// migrant sees only their own.
/// </summary>
public abstract class ReminderTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    [SkippableFact]
    public async Task Run_EndorsementWindowClosingSoon_OneReminderAndSmsIdempotent()
    {
        var issuedOn = new DateOnly(2026, 3, 2);
        var withPhone = await Factory.ValidPermitAsync(PermitPlace.Taizhou, issuedOn, phone: "13800138000");
        var without = await Factory.ValidPermitAsync(PermitPlace.Taizhou, issuedOn);
        var due = await DueAsync(withPhone.Id);
        Factory.Clock.SetToday(due.AddDays(-5));
        using var chief = await Factory.ClientAsAsync(Roles.StationChief, PermitPlace.Taizhou.Division, PermitPlace.Taizhou.StationCode);

        var first = await RunAsync(chief);
        var second = await RunAsync(chief);
        using var migrant = await Factory.ClientAsAsync(Roles.Migrant, "", "", withPhone.IdNumber);
        using var other = await Factory.ClientAsAsync(Roles.Migrant, "", "", without.IdNumber);
        var mine = (JsonArray)(await migrant.GetFromJsonAsync<JsonObject>("/api/v1/me/reminders"))!["sent"]!;
        var theirs = (JsonArray)(await other.GetFromJsonAsync<JsonObject>("/api/v1/me/reminders"))!["sent"]!;

        Assert.True((int)first["remindersCreated"]! >= 2, first.ToJsonString());
        Assert.Equal(1, (int)first["smsQueued"]!);
        Assert.Equal(0, (int)second["remindersCreated"]!);
        var reminder = Assert.Single(mine, r => (string?)r!["kind"] == "endorsement");
        Assert.Equal(withPhone.Id.ToString(), (string?)reminder!["permitId"]);
        Assert.Contains(withPhone.PermitNumber, (string)reminder["message"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(theirs, r => (string?)r!["permitId"] == withPhone.Id.ToString());
        Assert.Contains(theirs, r => (string?)r!["permitId"] == without.Id.ToString());
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var sms = await db.SmsOutbox.AsNoTracking().ToListAsync();
        var message = Assert.Single(sms, m => m.Text.Contains(withPhone.PermitNumber, StringComparison.Ordinal));
        Assert.Equal("13800138000", scope.ServiceProvider.GetRequiredService<IdentityProtector>().Decrypt(message.PhoneCipher));
        Assert.DoesNotContain(withPhone.IdNumber, message.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("13800138000", message.Text, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Run_OutsideJurisdictionOrByOfficer_NothingOr403()
    {
        var permit = await Factory.ValidPermitAsync(PermitPlace.Shandong, new DateOnly(2026, 3, 2));
        Factory.Clock.SetToday((await DueAsync(permit.Id)).AddDays(-3));
        using var chief = await Factory.ClientAsAsync(Roles.StationChief, "140105", "140105000001");
        using var officer = await Factory.OfficerAsync(PermitPlace.Shandong);

        var run = await RunAsync(chief);
        var refused = await officer.PostAsync("/api/v1/permits/reminders/run", null);

        Assert.Equal(0, (int)run["permitsChecked"]!);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [SkippableFact]
    public async Task SmsCli_PendingThenMarkSent_GatewayDecryptsNumberOnce()
    {
        var permit = await Factory.ValidPermitAsync(PermitPlace.Shanxi, new DateOnly(2026, 3, 2), phone: "13900139000");
        Factory.Clock.SetToday((await DueAsync(permit.Id)).AddDays(-2));
        using var chief = await Factory.ClientAsAsync(Roles.StationChief, PermitPlace.Shanxi.Division, PermitPlace.Shanxi.StationCode);
        await RunAsync(chief);
        var keyFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(keyFile, "00112233445566778899aabbccddeeff");
        string[] db = ["--provider", Factory.Kind == DatabaseKind.Sqlite ? "sqlite" : "postgres", "--connection", Factory.ConnectionString];
        try
        {
            var (pendingCode, pending) = Cli(["permit", "sms", "pending", "--sm4-key-file", keyFile, .. db]);
            var line = Assert.Single(pending.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("13900139000", StringComparison.Ordinal));
            var id = (string)JsonNode.Parse(line)!["id"]!;
            var (markCode, _) = Cli(["permit", "sms", "mark-sent", id, .. db]);
            var (_, after) = Cli(["permit", "sms", "pending", "--sm4-key-file", keyFile, .. db]);

            Assert.Equal((0, 0), (pendingCode, markCode));
            Assert.Contains(permit.PermitNumber, line, StringComparison.Ordinal);
            Assert.DoesNotContain(id, after, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    private (int Code, string Output) Cli(string[] args)
    {
        using var output = new StringWriter();
        var root = new RootCommand { PermitCommands.Create(Factory.Clock, output, output) };
        var code = root.Parse(args).Invoke();
        return (code, output.ToString());
    }

    private async Task<DateOnly> DueAsync(Guid permitId)
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        return (await db.Permits.AsNoTracking().FirstAsync(p => p.Id == permitId)).EndorsementDue!.Value;
    }

    private static async Task<JsonObject> RunAsync(HttpClient client)
    {
        var response = await client.PostAsync("/api/v1/permits/reminders/run", null);
        await PermitScenario.Ensure(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }
}

public sealed class SqliteReminderTests(SqliteAppFixture fixture)
    : ReminderTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresReminderTests(PostgresAppFixture fixture)
    : ReminderTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
