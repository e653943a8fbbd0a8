using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Security;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Registration;

/// <summary>
/// The audit entries the registration use cases declare (the person by lookup hash, the residence division, the
/// registration, the fields), as written to the chain: no response is inspected to find them. On SQLite and PostgreSQL.
/// </summary>
public abstract class RegistrationAuditTests(SojournAppFactory? factory, string? skipReason)
    : DatabaseTests(factory, skipReason)
{
    private const string Base = "/api/v1/registrations";

    [SkippableFact]
    public async Task Declare_And_DepartmentRead_AreRecordedUnderThePersonWithTheFieldsOfTheView()
    {
        var person = TestData.NewIdNumber();
        using var officer = await Factory.ClientAsAsync(Roles.Officer);
        var declared = await officer.PostAsJsonAsync(Base, TestData.Declaration(person));
        Assert.Equal(HttpStatusCode.Created, declared.StatusCode);
        var id = Guid.Parse((string)(await Json(declared))["id"]!);
        using var health = await Factory.ClientAsAsync(Roles.Health, "140105", "");

        Assert.Equal(HttpStatusCode.OK, (await health.GetAsync($"{Base}/{id}")).StatusCode);

        var entries = await EntriesAsync(id);
        var hash = HashOf(person);
        var write = Assert.Single(entries, e => e.Action == "write");
        Assert.Equal("DeclareRegistration", write.Operation);
        Assert.Equal(hash, write.PersonIdHmac);
        Assert.Equal("140105", write.ResidenceDivisionCode);
        Assert.Contains("idNumber", write.Fields.Split(','));
        Assert.Contains("declarant", write.Fields.Split(','));
        var read = Assert.Single(entries, e => e.Action == "read");
        Assert.Equal(hash, read.PersonIdHmac);
        Assert.Equal(Roles.Health, read.ActorRole);
        Assert.Equal(TestAccounts.Purpose, read.Purpose);
        // Exactly the health department's view (access.json), nothing of employment.
        Assert.Contains("maritalStatus", read.Fields.Split(','));
        Assert.DoesNotContain("employment", read.Fields.Split(','));
        Assert.DoesNotContain("workplace", read.Fields.Split(','));
    }

    [SkippableFact]
    public async Task Change_RecordsTheChangedFieldsOnly_AndAFailedOneNothing()
    {
        using var officer = await Factory.ClientAsAsync(Roles.Officer);
        var declared = await Json(await officer.PostAsJsonAsync(Base, TestData.Declaration()));
        var id = Guid.Parse((string)declared["id"]!);

        var stale = await officer.PostAsJsonAsync($"{Base}/{id}/changes", new { version = 9, reason = "换工作", changes = new { workplace = "乙公司" } });
        var changed = await officer.PostAsJsonAsync($"{Base}/{id}/changes", new { version = 1, reason = "换工作", changes = new { workplace = "乙公司" } });

        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var change = Assert.Single(await EntriesAsync(id), e => e.Operation == "ChangeRegistration");
        Assert.Equal("write", change.Action);
        Assert.Equal(["reason", "changes.workplace"], change.Fields.Split(','));
    }

    [SkippableFact]
    public async Task List_RecordsEachListedPerson_AndHidesWhatTheViewDoesNot()
    {
        var division = "140109";
        using (var officer = await Factory.ClientAsAsync(Roles.Officer, division, ""))
        {
            Assert.Equal(HttpStatusCode.Created, (await officer.PostAsJsonAsync(Base, TestData.Declaration(residenceDivision: division))).StatusCode);
        }

        using var education = await Factory.ClientAsAsync(Roles.Education, division, "");
        var page = await Json(await education.GetAsync($"{Base}?division={division}&pageSize=5"));
        var first = page["items"]!.AsArray()[0]!.AsObject();
        var id = Guid.Parse((string)first["id"]!);

        // dept-education's view holds the name but not the identity number.
        Assert.True(first.ContainsKey("name"));
        Assert.False(first.ContainsKey("idNumber"));
        Assert.Contains(await EntriesAsync(id), e => e.Action == "list" && e.ActorRole == Roles.Education && e.Operation == "ListRegistrations");
    }

    private async Task<List<Data.Audit.AuditEntry>> EntriesAsync(Guid registrationId)
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        return await db.AuditEntries.AsNoTracking().Where(e => e.RegistrationId == registrationId).OrderBy(e => e.Seq).ToListAsync();
    }

    private string HashOf(string idNumber)
    {
        using var scope = Factory.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<IdentityProtector>().LookupHash(idNumber);
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");
}

public sealed class SqliteRegistrationAuditTests(SqliteAppFixture fixture)
    : RegistrationAuditTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresRegistrationAuditTests(PostgresAppFixture fixture)
    : RegistrationAuditTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
