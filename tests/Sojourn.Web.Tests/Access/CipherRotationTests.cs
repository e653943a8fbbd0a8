using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Security;
using Sojourn.Domain;
using Sojourn.Web.Access;
using Sojourn.Web.Tests.Infrastructure;
using Sojourn.Web.Tests.Permits;

namespace Sojourn.Web.Tests.Access;

/// <summary>
/// After an SM4 key rotation the ciphertexts written under the old key are rewritten under the new one in
/// batches: same plaintexts, same lookup hashes, same history; the app still reads and finds them.
/// </summary>
public abstract class CipherRotationTests(DatabaseKind kind)
{
    private const string K1 = "00112233445566778899aabbccddeeff";
    private const string K2 = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private const string Hmac = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

    [SkippableFact]
    public async Task ReEncrypt_AfterRotation_RewritesEveryOldCiphertextAndKeepsPlaintexts()
    {
        using var factory = Create();
        using var client = await factory.ClientAsAsync(Roles.Officer);
        var idNumbers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            idNumbers.Add(await DeclareWithChildAsync(client));
        }

        var before = await SnapshotAsync(factory);
        var old = IdentityProtector.FromHex(new Dictionary<string, string> { ["k1"] = K1, ["k2"] = K2 }, "k1", Hmac);
        var rotated = IdentityProtector.FromHex(new Dictionary<string, string> { ["k1"] = K1, ["k2"] = K2 }, "k2", Hmac);
        Assert.All(before, c => Assert.Equal("k1", old.KeyIdOf(c.Cipher)));

        CipherRotationResult result;
        using (var scope = factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
            result = await CipherRotation.ReEncryptAsync(db, rotated, batchSize: 2, maxBatches: null, CancellationToken.None);
            Assert.Equal(0, await CipherRotation.CountRemainingAsync(db, rotated, CancellationToken.None));
            // Every rewritten batch is audited in its own transaction, with counts only.
            var audited = await db.AuditEntries.AsNoTracking().Where(e => e.Operation == "ReEncryptUnderActiveKey").Select(e => e.Fields).ToListAsync();
            Assert.Equal(6, audited.Sum(f => int.Parse(f[(f.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture)));
            Assert.All(audited, f => Assert.StartsWith("key:k2;", f, StringComparison.Ordinal));
        }

        var after = await SnapshotAsync(factory);
        Assert.Equal(3, result.Versions);
        Assert.Equal(3, result.Children);
        Assert.Equal(0, result.Failed);
        Assert.True(result.Done);
        Assert.Equal(before.Select(b => (b.Table, b.Key, b.Hmac)), after.Select(a => (a.Table, a.Key, a.Hmac)));
        Assert.All(after, c => Assert.Equal("k2", rotated.KeyIdOf(c.Cipher)));
        Assert.Equal(before.Select(b => old.Decrypt(b.Cipher)), after.Select(a => rotated.Decrypt(a.Cipher)));

        // The app (its ring holds k2) still shows and finds every person.
        foreach (var idNumber in idNumbers)
        {
            var found = JsonNode.Parse(await (await client.PostAsJsonAsync("/api/v1/registrations/search", new { idNumber })).Content.ReadAsStringAsync())!.AsArray();
            var id = (string)Assert.Single(found)!["id"]!;
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/registrations/{id}")).StatusCode);
        }
    }

    [SkippableFact]
    public async Task ReEncrypt_AfterRotation_CoversPermitNumbersPhonesAndKeyRings()
    {
        using var factory = Create();
        using var officer = await factory.OfficerAsync(Permits.PermitPlace.Shanxi);
        var issued = await factory.IssuedAsync(officer, Permits.PermitPlace.Shanxi);
        var rotated = IdentityProtector.FromHex(new Dictionary<string, string> { ["k1"] = K1, ["k2"] = K2 }, "k2", Hmac);

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var permitBefore = await db.Permits.IgnoreQueryFilters().AsNoTracking().SingleAsync();
        var result = await CipherRotation.ReEncryptAsync(db, rotated, batchSize: 1, maxBatches: null, CancellationToken.None);

        // The identity number and the phone of the permit; the issuing authority's key ring.
        Assert.Equal(2, result.Permits);
        Assert.Equal(1, result.Other);
        Assert.Equal(0, await CipherRotation.CountRemainingAsync(db, rotated, CancellationToken.None));
        var permitAfter = await db.Permits.IgnoreQueryFilters().AsNoTracking().SingleAsync();
        Assert.Equal("k2", rotated.KeyIdOf(permitAfter.PersonIdCipher));
        Assert.Equal(rotated.Decrypt(permitBefore.PersonIdCipher), rotated.Decrypt(permitAfter.PersonIdCipher));
        Assert.Equal(rotated.Decrypt(permitBefore.PhoneCipher!), rotated.Decrypt(permitAfter.PhoneCipher!));
        var ring = await db.IssuerKeys.AsNoTracking().SingleAsync();
        Assert.Equal("k2", rotated.KeyIdOf(ring.RingCipher));

        // The app still signs with the re-encrypted ring: endorsement re-issues the credential.
        factory.Clock.SetToday(Permits.ApplyFlow.Day(issued["endorsementOpens"])!.Value);
        using var later = await factory.OfficerAsync(Permits.PermitPlace.Shanxi); // tokens expire as the clock moves
        var endorsed = await later.PostAsJsonAsync($"/api/v1/permits/{issued["id"]}/endorse", new { version = (int)issued["version"]! });
        await Permits.PermitScenario.Ensure(endorsed, HttpStatusCode.OK);
    }

    [SkippableFact]
    public async Task Service_PassesOfOneBatch_FinishesAndThenIdles()
    {
        using var factory = Create();
        using var client = await factory.ClientAsAsync(Roles.Officer);
        await DeclareWithChildAsync(client);
        await DeclareWithChildAsync(client);
        var rotated = IdentityProtector.FromHex(new Dictionary<string, string> { ["k1"] = K1, ["k2"] = K2 }, "k2", Hmac);
        var service = new CipherRotationService(
            factory.Services.GetRequiredService<IServiceScopeFactory>(), rotated,
            Options.Create(new ReEncryptOptions { BatchSize = 1, BatchesPerPass = 1 }), NullLogger<CipherRotationService>.Instance);

        var passes = new List<CipherRotationResult>();
        do
        {
            passes.Add(await service.RunOnceAsync(CancellationToken.None));
        }
        while (!passes[^1].Done && passes.Count < 10);

        Assert.Equal(4, passes.Sum(p => p.Versions + p.Children));
        Assert.True(passes[^1].Done);
        Assert.Equal(0, (await service.RunOnceAsync(CancellationToken.None)).Batches);
    }

    [SkippableFact]
    public async Task ReEncrypt_CiphertextUnderUnknownKey_IsCountedAndLeft()
    {
        using var factory = Create();
        using var client = await factory.ClientAsAsync(Roles.Officer);
        await DeclareWithChildAsync(client);
        // k1 has been removed from this ring too early.
        var withoutK1 = IdentityProtector.FromHex(new Dictionary<string, string> { ["k2"] = K2 }, "k2", Hmac);

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var result = await CipherRotation.ReEncryptAsync(db, withoutK1, batchSize: 10, maxBatches: null, CancellationToken.None);

        Assert.Equal(2, result.Failed);
        Assert.Equal(0, result.Versions + result.Children);
        Assert.Equal(2, await CipherRotation.CountRemainingAsync(db, withoutK1, CancellationToken.None));
    }

    private SojournAppFactory Create()
    {
        if (kind == DatabaseKind.Postgres && PostgresCluster.FindBinDir() is null)
        {
            Skip.If(!string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), PostgresCluster.EnableHint);
        }

        // Key k2 is in the ring but not yet active: data is written under k1, as before a rotation.
        return new SojournAppFactory(kind, b => b.UseSetting("Sojourn:Crypto:Sm4Keys:k2", K2));
    }

    /// <summary>Declares a person with a child who has an identity number; returns the person's number.</summary>
    private static async Task<string> DeclareWithChildAsync(HttpClient client)
    {
        var declaration = TestData.Declaration();
        // An even sequence digit: the child is female.
        var serial = (Random.Shared.Next(50, 499) * 2).ToString(CultureInfo.InvariantCulture);
        var child17 = "130102" + "20180301" + serial;
        declaration["children"]![0]!["idNumber"] = child17 + CitizenId.ComputeCheckCharacter(child17);
        var response = await client.PostAsJsonAsync("/api/v1/registrations", declaration);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (string)declaration["idNumber"]!;
    }

    private static async Task<List<(string Table, string Key, string Hmac, string Cipher)>> SnapshotAsync(SojournAppFactory factory)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var versions = await db.RegistrationVersions.IgnoreQueryFilters().AsNoTracking()
            .Select(v => new { v.Id, v.Record.IdNumberHmac, v.Record.IdNumberCipher, v.Record.Children }).ToListAsync();
        var rows = versions.Select(v => ("v", v.Id.ToString(), v.IdNumberHmac, v.IdNumberCipher))
            .Concat(versions.SelectMany(v => v.Children.Where(c => c.IdNumberCipher is not null)
                .Select(c => ("c", v.Id + "/" + c.IdNumberHmac, c.IdNumberHmac ?? "", c.IdNumberCipher!))))
            .ToList();
        return [.. rows.OrderBy(r => r.Item1, StringComparer.Ordinal).ThenBy(r => r.Item2, StringComparer.Ordinal)];
    }
}

public sealed class SqliteCipherRotationTests() : CipherRotationTests(DatabaseKind.Sqlite);

public sealed class PostgresCipherRotationTests() : CipherRotationTests(DatabaseKind.Postgres);
