using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Cli.Commands;
using Sojourn.Credentials;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Permits;
using Sojourn.Data.Security;
using Sojourn.Rules.Permits;
using Sojourn.Web.Permits;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Permits;

/// <summary>A permit made for the e-permit tests, with the person's identity number.</summary>
public sealed record TestPermit(Guid Id, Guid RegistrationId, string IdNumber, string PermitNumber, PermitPlace Place);

/// <summary>
/// Builds permits for the e-permit tests straight through a DbContext, as a permit step would (the row
/// changed, then the credential sync, then one save), so these tests depend on no particular step endpoint.
/// </summary>
public static class EPermitTestKit
{
    public const string Authority = "测试市公安局测试分局";

    public static async Task<TestPermit> ValidPermitAsync(
        this SojournAppFactory factory, PermitPlace place, DateOnly issuedOn, string? phone = null, string status = PermitStatus.Valid)
    {
        using var officer = await factory.OfficerAsync(place);
        var (registrationId, idNumber) = await factory.RegisteredAsync(officer, place, issuedOn.AddMonths(-7));
        factory.Clock.SetToday(issuedOn);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var protector = scope.ServiceProvider.GetRequiredService<IdentityProtector>();
        var lifecycle = PermitLifecycle.Default;
        var terms = lifecycle.Terms(place.Division, issuedOn) ?? throw new InvalidOperationException("no terms");
        var (opens, due) = lifecycle.Endorsement(terms, issuedOn, 1);
        var number = $"JZ{place.Division}-{issuedOn.Year}-{Guid.NewGuid().ToString("N")[..8]}";
        var refused = status == PermitStatus.Refused;
        var now = factory.Clock.GetUtcNow().UtcDateTime;
        var permit = Permit.AsItWas(PermitKind.FirstIssue,
            new PermitHolder("张三明", protector.Encrypt(idNumber), protector.LookupHash(idNumber), idNumber[..4] + "**********" + idNumber[^4..],
                "male", "01", new DateOnly(1990, 1, 1), null),
            new PermitResidence(registrationId, place.Division, place.StationCode, place.StationName, "测试路1号", null), place.Division, Authority,
            new PermitApplication(place.PolicyId, issuedOn.AddDays(-5), lifecycle.IssueDue(terms, place.Division, issuedOn.AddDays(-5), false))
            {
                PhoneCipher = phone is null ? null : protector.Encrypt(phone),
            },
            refused
                ? new PermitIssue(PermitStatus.Applied) { Version = 1 }
                : new PermitIssue(status)
                {
                    Version = 2,
                    PermitNumber = number,
                    DecidedOn = issuedOn,
                    IssuedOn = issuedOn,
                    ValidUntil = lifecycle.ValidUntil(terms, issuedOn),
                    EndorsementAnchor = issuedOn,
                    EndorsementOpens = opens,
                    EndorsementDue = due,
                }, now, "test");
        if (refused)
        {
            permit.Refuse(issuedOn, "居住未满半年。", terms.IssueWithin.Basis, new PermitStep(now, issuedOn, terms.IssueWithin.Basis));
        }
        db.Permits.Add(permit);
        await scope.ServiceProvider.GetRequiredService<Sojourn.Application.Permits.EPermitService>().SyncAsync(permit, CancellationToken.None);
        await db.SaveChangesAsync();
        return new TestPermit(permit.Id, registrationId, idNumber, number, place);
    }

    /// <summary>Takes a step that leaves the permit in <paramref name="status"/> (row, credential sync, save); valid stays valid through an empty change.</summary>
    public static async Task SetStatusAsync(this SojournAppFactory factory, Guid permitId, string status)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var permit = await db.Permits.FirstAsync(p => p.Id == permitId);
        var step = new PermitStep(factory.Clock.GetUtcNow().UtcDateTime, factory.Clock.Today, null);
        switch (status)
        {
            case PermitStatus.Suspended:
                permit.MissEndorsement(voids: false, step);
                break;
            case PermitStatus.Cancelled:
                permit.Cancel(null, step);
                break;
            case PermitStatus.Valid:
                permit.Change(null, null, null, () => step);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, "no step in these tests leads there");
        }

        await scope.ServiceProvider.GetRequiredService<Sojourn.Application.Permits.EPermitService>().SyncAsync(permit, CancellationToken.None);
        await db.SaveChangesAsync();
    }

    public static async Task<string> CredentialAsync(this HttpClient client, Guid permitId)
    {
        var response = await client.GetAsync($"/api/v1/permits/{permitId}/credential");
        await PermitScenario.Ensure(response, HttpStatusCode.OK);
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["credential"]!;
    }

    public static async Task<JsonObject> VerifyAsync(this HttpClient client, string credential, string purpose = "入住登记核验")
    {
        var response = await client.PostAsJsonAsync("/api/v1/permit-verifications", new { credential, purpose });
        await PermitScenario.Ensure(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The same credential with one payload character changed so that it still decodes.</summary>
    public static string AlterOneCharacter(string credential)
    {
        var dot = credential.LastIndexOf('.');
        for (var i = dot - 10; i > CredentialCodec.Prefix.Length + 5; i--)
        {
            var c = credential[i];
            var altered = credential[..i] + (c == 'A' ? 'B' : 'A') + credential[(i + 1)..];
            if (CredentialCodec.TryParse(altered, out _))
            {
                return altered;
            }
        }

        throw new InvalidOperationException("no decodable alteration found");
    }
}

/// <summary>
/// The e-permit over HTTP: a valid permit's credential verifies online; a forged, altered or foreign
/// one is a verdict (never a 500); suspension and revocation are seen online at once and offline only
/// after the checker syncs the list; the CLI accepts the two files the anonymous endpoints serve; the
/// /v/ page records its check; a rotated key keeps old credentials verifying.
/// </summary>
public abstract class EPermitTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    private static readonly DateOnly IssuedOn = new(2026, 7, 1);

    [SkippableFact]
    public async Task Verify_CredentialOfValidPermit_ValidOnlineWithMaskedNameAndCheckRecorded()
    {
        var permit = await Factory.ValidPermitAsync(PermitPlace.Shanxi, IssuedOn);
        using var officer = await Factory.OfficerAsync(PermitPlace.Shanxi);
        var credential = await officer.CredentialAsync(permit.Id);

        var result = await officer.VerifyAsync(credential);

        Assert.True((bool)result["valid"]!);
        Assert.Equal("valid", (string?)result["reason"]);
        Assert.Equal("张*明", (string?)result["maskedName"]);
        Assert.Equal(permit.PermitNumber, (string?)result["permitNumber"]);
        Assert.Equal(EPermitTestKit.Authority, (string?)result["authority"]);
        Assert.Empty(result["warnings"]!.AsArray());
        Assert.DoesNotContain(permit.IdNumber, result.ToJsonString(), StringComparison.Ordinal);
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var check = await db.CredentialChecks.AsNoTracking().SingleAsync(c => c.PermitId == permit.Id && c.Channel == "api");
        Assert.Equal(("valid", "入住登记核验", Roles.Officer), (check.Outcome, check.Purpose, check.Role));
        Assert.True(await db.AuditEntries.AsNoTracking().AnyAsync(a => a.RegistrationId == permit.RegistrationId && a.Operation == "VerifyPermitCredential"));
    }

    [SkippableFact]
    public async Task Verify_OneCharacterAltered_BadSignature()
    {
        var permit = await Factory.ValidPermitAsync(PermitPlace.Shandong, IssuedOn);
        using var officer = await Factory.OfficerAsync(PermitPlace.Shandong);
        var credential = await officer.CredentialAsync(permit.Id);

        var result = await officer.VerifyAsync(EPermitTestKit.AlterOneCharacter(credential));

        Assert.False((bool)result["valid"]!);
        Assert.Equal("bad-signature", (string?)result["reason"]);
        Assert.Equal("SJ-CRED-002", (string?)result["code"]);
    }

    [SkippableFact]
    public async Task Verify_CredentialFromUnknownKeyOrGarbage_RejectedNever500()
    {
        Factory.Clock.SetToday(IssuedOn);
        var foreign = IssuerKeyRing.Generate(new IssuingAuthority("140105", EPermitTestKit.Authority), Factory.Clock);
        var forged = CredentialCodec.Issue(new PermitCredential
        {
            MaskedName = "李*",
            PhotoDigest = PhotoDigest.Compute([]),
            PermitNumber = "JZ140105-2026-forged",
            ValidFrom = IssuedOn,
            ValidUntil = IssuedOn.AddYears(3),
            Endorsement = EndorsementStatus.NotDue,
            NextEndorsementDeadline = IssuedOn.AddYears(1),
            Authority = foreign.Authority,
            StatusIndex = 0,
            IssuedAt = Factory.Clock.GetUtcNow(),
        }, foreign);
        using var client = await Factory.ClientAsAsync(Roles.Health, "140105", "");

        var unknown = await client.VerifyAsync(forged);
        var garbage = await client.VerifyAsync("SJ1.!!!.???");
        var empty = await client.VerifyAsync("");

        Assert.Equal((false, "unknown-key"), ((bool)unknown["valid"]!, (string?)unknown["reason"]));
        Assert.Equal("malformed", (string?)garbage["reason"]);
        Assert.Equal("malformed", (string?)empty["reason"]);
    }

    [SkippableFact]
    public async Task Verify_OfficialWithoutPurpose_Returns400()
    {
        Factory.Clock.SetToday(IssuedOn);
        using var client = Factory.ClientFor(await Factory.CreateAsync(Roles.Officer), purpose: false);

        var response = await client.PostAsJsonAsync("/api/v1/permit-verifications", new { credential = "SJ1.x.y" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [SkippableFact]
    public async Task Verify_SuspendedThenCancelled_OnlineAtOnceOfflineOnlyAfterSync()
    {
        var permit = await Factory.ValidPermitAsync(PermitPlace.Taizhou, IssuedOn);
        using var officer = await Factory.OfficerAsync(PermitPlace.Taizhou);
        using var anonymous = Factory.CreateClient();
        var credential = await officer.CredentialAsync(permit.Id);
        var keys = await anonymous.GetStringAsync($"/api/v1/issuers/{permit.Place.Division}/keys");
        var listBefore = await anonymous.GetStringAsync($"/api/v1/issuers/{permit.Place.Division}/status-list");
        var offline = new CredentialVerifier(TrustedIssuers.FromJson(keys), Factory.Clock);

        await Factory.SetStatusAsync(permit.Id, PermitStatus.Suspended);
        var suspendedOnline = await officer.VerifyAsync(credential);
        var listSuspended = await anonymous.GetStringAsync($"/api/v1/issuers/{permit.Place.Division}/status-list");
        await Factory.SetStatusAsync(permit.Id, PermitStatus.Cancelled);
        var cancelledOnline = await officer.VerifyAsync(credential);
        var listCancelled = await anonymous.GetStringAsync($"/api/v1/issuers/{permit.Place.Division}/status-list");

        Assert.Equal("suspended", (string?)suspendedOnline["reason"]);
        Assert.Equal("revoked", (string?)cancelledOnline["reason"]);
        // Offline: no list, or the list synced before the change, still says valid.
        Assert.Equal(VerificationReason.Valid, offline.Verify(credential).Reason);
        Assert.Equal(VerificationReason.Valid, offline.Verify(credential, new VerificationInput { StatusList = listBefore }).Reason);
        Assert.Equal(VerificationReason.Suspended, offline.Verify(credential, new VerificationInput { StatusList = listSuspended }).Reason);
        Assert.Equal(VerificationReason.Revoked, offline.Verify(credential, new VerificationInput { StatusList = listCancelled }).Reason);
        Assert.Equal(HttpStatusCode.Conflict, (await officer.GetAsync($"/api/v1/permits/{permit.Id}/credential")).StatusCode);
    }

    [SkippableFact]
    public async Task CliVerify_FilesServedByAnonymousEndpoints_AcceptedAsIs()
    {
        var permit = await Factory.ValidPermitAsync(PermitPlace.Shanxi, IssuedOn);
        using var migrant = await Factory.ClientAsAsync(Roles.Migrant, "", "", permit.IdNumber);
        var credential = await migrant.CredentialAsync(permit.Id);
        using var anonymous = Factory.CreateClient();
        var dir = Directory.CreateTempSubdirectory("sojourn-epermit-");
        try
        {
            var keys = Path.Combine(dir.FullName, "keys.json");
            var list = Path.Combine(dir.FullName, "status-list.txt");
            var text = Path.Combine(dir.FullName, "credential.txt");
            await File.WriteAllBytesAsync(keys, await anonymous.GetByteArrayAsync($"/api/v1/issuers/{permit.Place.Division}/keys"));
            await File.WriteAllBytesAsync(list, await anonymous.GetByteArrayAsync($"/api/v1/issuers/{permit.Place.Division}/status-list"));
            await File.WriteAllTextAsync(text, credential);
            using var output = new StringWriter();
            var root = new RootCommand { PermitCommands.Create(Factory.Clock, output, output) };

            var valid = root.Parse(["permit", "verify", text, "--keys", keys, "--status-list", list]).Invoke();
            await Factory.SetStatusAsync(permit.Id, PermitStatus.Cancelled);
            await File.WriteAllBytesAsync(list, await anonymous.GetByteArrayAsync($"/api/v1/issuers/{permit.Place.Division}/status-list"));
            var revoked = root.Parse(["permit", "verify", text, "--keys", keys, "--status-list", list, "--json"]).Invoke();

            Assert.True(valid == 0, output.ToString());
            Assert.Equal(1, revoked);
            Assert.Contains("\"reason\": \"Revoked\"", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public async Task Page_ScannedUrl_RendersResultAndRecordsCheck()
    {
        var permit = await Factory.ValidPermitAsync(PermitPlace.Shanxi, IssuedOn);
        using var officer = await Factory.OfficerAsync(PermitPlace.Shanxi);
        var body = (await (await officer.GetAsync($"/api/v1/permits/{permit.Id}/credential")).Content.ReadFromJsonAsync<JsonObject>())!;
        var url = new Uri((string)body["verificationUrl"]!);
        using var phone = Factory.CreateClient();

        var response = await phone.GetAsync(url.PathAndQuery);
        var forged = await phone.GetAsync("/v/" + EPermitTestKit.AlterOneCharacter((string)body["credential"]!));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("✔ 有效", html, StringComparison.Ordinal);
        Assert.Contains("张*明", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("张三明", html, StringComparison.Ordinal);
        Assert.Contains("✘ 无效", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var check = await db.CredentialChecks.AsNoTracking().SingleAsync(c => c.PermitId == permit.Id && c.Channel == "page");
        Assert.Equal(("valid", "扫码核验"), (check.Outcome, check.Purpose));
    }

    [SkippableFact]
    public async Task RotateKey_OldCredentialStillVerifies_NewOnesUseNewKey()
    {
        var permit = await Factory.ValidPermitAsync(PermitPlace.Shandong, IssuedOn);
        string old;
        using (var before = await Factory.OfficerAsync(PermitPlace.Shandong))
        {
            old = await before.CredentialAsync(permit.Id);
        }

        // The next day (tokens live an hour: sign in again after moving the clock).
        Factory.Clock.SetToday(IssuedOn.AddDays(1));
        using var officer = await Factory.OfficerAsync(PermitPlace.Shandong);
        using var admin = await Factory.ClientAsAsync(Roles.Administrator, "", "");
        using var anonymous = Factory.CreateClient();

        var rotated = await admin.PostAsync($"/api/v1/issuers/{permit.Place.Division}/rotate-key", null);
        var ring = (await rotated.Content.ReadFromJsonAsync<JsonObject>())!;
        var online = await officer.VerifyAsync(old);
        var keys = await anonymous.GetStringAsync($"/api/v1/issuers/{permit.Place.Division}/keys");
        var list = await anonymous.GetStringAsync($"/api/v1/issuers/{permit.Place.Division}/status-list");
        await Factory.SetStatusAsync(permit.Id, PermitStatus.Valid);
        var fresh = await officer.CredentialAsync(permit.Id);
        var forbidden = await officer.PostAsync($"/api/v1/issuers/{permit.Place.Division}/rotate-key", null);

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.Equal(2, ring["keys"]!.AsArray().Count);
        Assert.True((bool)online["valid"]!, online.ToJsonString());
        var offline = new CredentialVerifier(TrustedIssuers.FromJson(keys), Factory.Clock);
        Assert.Equal(VerificationReason.Valid, offline.Verify(old, new VerificationInput { StatusList = list }).Reason);
        Assert.True(CredentialCodec.TryParse(fresh, out var parsed));
        Assert.Equal((string?)ring["currentKeyId"], parsed!.Claims.KeyId);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        // Key rotation is audited like an account action, in the rotation's own transaction.
        using (var scope = Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Sojourn.Data.SojournDbContext>();
            Assert.NotEmpty(await db.AuditEntries.AsNoTracking()
                .Where(e => e.Operation == "RotateIssuerKey" && e.Fields == "issuer:" + permit.Place.Division).ToListAsync());
        }
    }

    [SkippableFact]
    public async Task Credential_PngAndSvg_QrOfVerificationUrl()
    {
        var permit = await Factory.ValidPermitAsync(PermitPlace.Shanxi, IssuedOn);
        using var migrant = await Factory.ClientAsAsync(Roles.Migrant, "", "", permit.IdNumber);
        using var other = await Factory.ClientAsAsync(Roles.Migrant, "", "", TestData.NewIdNumber());

        var png = await migrant.GetAsync($"/api/v1/permits/{permit.Id}/credential?format=png");
        var svg = await migrant.GetAsync($"/api/v1/permits/{permit.Id}/credential?format=svg");
        var notMine = await other.GetAsync($"/api/v1/permits/{permit.Id}/credential");

        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], (await png.Content.ReadAsByteArrayAsync())[..4]);
        Assert.Contains("<svg", await svg.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, notMine.StatusCode);
    }

    [SkippableFact]
    public async Task StatusList_UnknownIssuer_Returns404()
    {
        Factory.Clock.SetToday(IssuedOn);
        using var anonymous = Factory.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/v1/issuers/999999/status-list")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/v1/issuers/999999/keys")).StatusCode);
    }

    [SkippableFact]
    public async Task Verify_AfterMissedEndorsement_MessageSaysWhatThePolicyDoesWithItsArticle()
    {
        var permit = await Factory.ValidPermitAsync(PermitPlace.Shanxi, IssuedOn);
        string credential;
        using (var issuer = await Factory.OfficerAsync(PermitPlace.Shanxi))
        {
            credential = await issuer.CredentialAsync(permit.Id);
        }

        var terms = PermitLifecycle.Default.Terms(PermitPlace.Shanxi.Division, IssuedOn.AddYears(1))!;
        Factory.Clock.SetToday(IssuedOn.AddYears(1).AddDays(10));
        using var officer = await Factory.OfficerAsync(PermitPlace.Shanxi);

        var result = await officer.VerifyAsync(credential);

        Assert.Equal("endorsement-lapsed", (string?)result["reason"]);
        Assert.Equal(LapseEffect.Suspended, terms.MissedEndorsement.Value);
        Assert.Contains("中止", (string?)result["message"], StringComparison.Ordinal);
        Assert.Contains(PermitStepKit.Cite(terms.MissedEndorsement.Basis), (string?)result["message"], StringComparison.Ordinal);
    }
}

public sealed class SqliteEPermitTests(SqliteAppFixture fixture)
    : EPermitTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresEPermitTests(PostgresAppFixture fixture)
    : EPermitTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
