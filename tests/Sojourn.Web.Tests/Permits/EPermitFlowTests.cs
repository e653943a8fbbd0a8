using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sojourn.Credentials;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Permits;

/// <summary>
/// The e-permit behind the permit module's own steps (apply → approve → endorse): the credential follows
/// each step without the step knowing about it, and the history keeps only the legal steps.
/// </summary>
public abstract class EPermitFlowTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    [SkippableFact]
    public async Task Approve_ThenEndorse_CredentialFollowsEachStep()
    {
        var place = PermitPlace.Shanxi;
        using var officer = await Factory.StaffAsync("officer", place);
        var issued = await Factory.IssuedAsync(officer, place);
        var id = (string)issued["id"]!;

        var first = await officer.CredentialAsync(Guid.Parse(id));
        var verdict = await officer.VerifyAsync(first);
        Factory.Clock.SetToday(ApplyFlow.Day(issued["endorsementOpens"])!.Value);
        var endorsed = await officer.PostAsJsonAsync($"/api/v1/permits/{id}/endorse", new { version = (int)issued["version"]! });
        await PermitScenario.Ensure(endorsed, HttpStatusCode.OK);
        var second = await officer.CredentialAsync(Guid.Parse(id));
        var after = await officer.VerifyAsync(second);
        var history = (await officer.GetFromJsonAsync<JsonArray>($"/api/v1/permits/{id}/history"))!;

        Assert.True((bool)verdict["valid"]!, verdict.ToJsonString());
        Assert.Equal((string?)issued["permitNumber"], (string?)verdict["permitNumber"]);
        Assert.Equal("not-due", (string?)verdict["endorsement"]);
        Assert.Equal((string?)issued["endorsementDue"], (string?)verdict["nextEndorsementDeadline"]);
        Assert.NotEqual(first, second);
        Assert.Equal(("endorsed", true), ((string?)after["endorsement"], (bool)after["valid"]!));
        Assert.True(CredentialCodec.TryParse(first, out var a));
        Assert.True(CredentialCodec.TryParse(second, out var b));
        Assert.Equal(a!.Claims.StatusIndex, b!.Claims.StatusIndex);
        Assert.DoesNotContain(history, e => ((string?)e!["kind"])!.Contains("credential", StringComparison.Ordinal));
    }
}

public sealed class SqliteEPermitFlowTests(SqliteAppFixture fixture)
    : EPermitFlowTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresEPermitFlowTests(PostgresAppFixture fixture)
    : EPermitFlowTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
