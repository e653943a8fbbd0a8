using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Audit;
using Sojourn.Web.Access.Accounts;
using Sojourn.Web.Tests.Access;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests;

/// <summary>
/// Who may see and do what: the authorization matrix over every endpoint the app maps, field views,
/// the purpose rule, sign-in with TOTP and lockout, the migrant's access log. On SQLite and PostgreSQL.
/// </summary>
public abstract class AccessTests(SojournAppFactory? factory, string? skipReason)
    : DatabaseTests(factory, skipReason)
{
    private const string Base = "/api/v1/registrations";

    private static readonly string[] Officials = [Roles.Collector, Roles.Officer, Roles.StationChief];
    private static readonly string[] Departments = [.. Roles.Departments];

    /// <summary>
    /// The expected access, written independently of Access/access.json. An endpoint the app maps but
    /// this table lacks fails the matrix test, so a new endpoint cannot be forgotten.
    /// </summary>
    private static readonly Dictionary<string, string[]> Expected = WithParts(new()
    {
        ["DeclareRegistration"] = [Roles.Migrant, Roles.Reporter, .. Officials],
        ["ConfirmRegistration"] = [Roles.Officer, Roles.StationChief],
        ["CorrectRegistration"] = [.. Officials],
        ["ChangeRegistration"] = [Roles.Migrant, Roles.Reporter, .. Officials],
        ["EndRegistration"] = [Roles.Migrant, Roles.Reporter, .. Officials],
        ["GetRegistration"] = [Roles.Migrant, Roles.Reporter, .. Officials, .. Departments],
        ["GetRegistrationVersions"] = [Roles.Migrant, .. Officials],
        ["ListRegistrations"] = [Roles.Reporter, .. Officials, .. Departments],
        ["UploadRegistrationPhoto"] = [Roles.Migrant, .. Officials],
        ["GetRegistrationPhoto"] = [Roles.Migrant, .. Officials],
        ["SearchRegistrationsByIdNumber"] = [.. Officials],
        ["SearchRegistrationsByName"] = [Roles.Officer, Roles.StationChief],
        ["CreateApiToken"] = [Roles.Administrator],
        ["WhoAmI"] = [.. Roles.All],
        ["ListMyTokens"] = [.. Roles.All],
        ["RevokeMyToken"] = [.. Roles.All],
        ["CreateAccount"] = [Roles.Administrator],
        ["ListAccounts"] = [Roles.Administrator],
        ["ListAccountTokens"] = [Roles.Administrator],
        ["RevokeAccountToken"] = [Roles.Administrator],
        ["LockAccount"] = [Roles.Administrator],
        ["UnlockAccount"] = [Roles.Administrator],
        ["RequestAccountChange"] = [Roles.Administrator],
        ["ListPendingAccountChanges"] = [Roles.Administrator, Roles.StationChief],
        ["ApproveAccountChange"] = [Roles.Administrator, Roles.StationChief],
        ["RejectAccountChange"] = [Roles.Administrator, Roles.StationChief],
        ["SearchAudit"] = [Roles.StationChief],
        ["ListAuditPurposes"] = [.. Roles.All],
        ["MyAccessLog"] = [Roles.Migrant],
        ["MyAccessLogPage"] = [Roles.Migrant],
        ["GetAuditStatus"] = [Roles.StationChief, Roles.Administrator],
        ["VerifyAudit"] = [Roles.StationChief, Roles.Administrator],
        ["RegistrationStatistics"] = [Roles.Analyst, Roles.StationChief],
    });

    private static async Task<int?> ErrorCodeAsync(HttpResponseMessage response)
    {
        try
        {
            return (int?)System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())?["errorCode"];
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Endpoints anyone may call (pages, docs, sign-in).</summary>
    private static readonly HashSet<string> PublicApi =
        ["SignIn", "ActivateAccount", "POST /api/v1/policy/evaluate", "GetAuditPublicKey", "CheckAuditProof", .. IAuthorizationMatrixPart.All.SelectMany(p => p.PublicApi)];

    private static readonly HashSet<string> Public =
    [
        .. PublicApi, "GET /", "GET /account/sign-in", "POST /account/sign-in", "GET /account/sign-in/oidc", "POST /account/sign-out", "GET /culture", "GET /fonts/{name}", "GET /openapi/{documentName}.json", "GET /docs/{documentName?}", "GET /docs/{**path}", "GET /docs/",
        .. IAuthorizationMatrixPart.All.SelectMany(p => p.PublicPages),
    ];

    [SkippableFact]
    public async Task Matrix_EveryEndpointRoleAndJurisdiction_AllowedOrRefused()
    {
        var factory = Factory;
        // Pages of the web application carry their own [Authorize] (PagesAreAuthorized below); static files and the
        // Blazor circuit hub hold no data of their own.
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is null
                && e.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is null
                && e.RoutePattern.RawText?.StartsWith("/_blazor", StringComparison.Ordinal) != true
                && e.RoutePattern.RawText?.StartsWith("_blazor", StringComparison.Ordinal) != true
                && e.RoutePattern.RawText is not ("/_framework/opaque-redirect" or "{**path:file}"))
            .Select(e => (Key: Web.Access.AccessModule.KeyOf(e)!, Endpoint: e))
            .ToList();
        var unknown = endpoints.Where(e => !Expected.ContainsKey(e.Key) && !Public.Contains(e.Key)
                && !e.Key.Contains("/docs", StringComparison.Ordinal)).Select(e => e.Key).ToList();
        Assert.True(unknown.Count == 0, "Endpoints missing from the authorization matrix: " + string.Join(", ", unknown));

        // Inside: a person of 140105 at station 140105000001, declared by the reporter, who is the migrant.
        // Outside: a person of 140106 at another station, declared by someone else.
        var personIn = TestData.NewIdNumber();
        var reporter = await factory.CreateAsync(Roles.Reporter, "", "");
        var accounts = new Dictionary<string, TestAccount> { [Roles.Reporter] = reporter };
        foreach (var role in Roles.All.Where(r => r != Roles.Reporter))
        {
            accounts[role] = await factory.CreateAsync(role, role == Roles.Migrant ? "" : "140105", role == Roles.Migrant ? "" : "140105000001", role == Roles.Migrant ? personIn : null);
        }

        var failures = new List<string>();
        foreach (var (key, endpoint) in endpoints.Where(e => Expected.ContainsKey(e.Key) || PublicApi.Contains(e.Key)))
        {
            foreach (var role in Roles.All.Append("anonymous"))
            {
                foreach (var inside in new[] { true, false })
                {
                    // Fresh targets per case, so one case's write cannot change another's outcome.
                    var target = inside
                        ? await DeclareAsync(factory.ClientFor(reporter), TestData.Declaration(personIn, residenceAddress: null))
                        : await DeclareAsync(await factory.ClientAsAsync(Roles.Officer, "140106", "140106000002"), TestData.Declaration(residenceDivision: "140106"));
                    using var client = role == "anonymous" ? factory.CreateClient() : factory.ClientFor(accounts[role]);
                    using var request = Build(key, endpoint, target, role == Roles.Migrant ? personIn : TestData.NewIdNumber());
                    var response = await client.SendAsync(request);
                    var status = (int)response.StatusCode;
                    string expected;
                    bool ok;
                    if (PublicApi.Contains(key))
                    {
                        expected = "open to anyone";
                        ok = status is not (403 or 500) && (status != 401 || key is "SignIn" or "ActivateAccount");
                    }
                    else if (role == "anonymous")
                    {
                        expected = "401";
                        // Pages send the browser to the sign-in form instead.
                        ok = status == 401 || (key == "MyAccessLogPage" && response.RequestMessage?.RequestUri?.AbsolutePath == "/account/sign-in");
                    }
                    else if (!Expected[key].Contains(role))
                    {
                        expected = "403";
                        ok = status == 403;
                    }
                    else if (endpoint.RoutePattern.Parameters.Any(p => p.Name == "id") && !inside)
                    {
                        expected = "404";
                        ok = status == 404;
                    }
                    else
                    {
                        expected = "allowed";
                        // A 404 for a missing photo (20005) is past the access checks; an unknown registration (20001) is not.
                        // The errorCode field decides, not a substring: a trace id may contain "20001".
                        ok = (status is not (401 or 403 or 500)
                            && !(status == 404 && await ErrorCodeAsync(response) == 20001))
                            // The matrix signs in with bearer tokens, and a token never mints a token: refused past the table.
                            || (key == "CreateApiToken" && status == 403 && await ErrorCodeAsync(response) == 30020);
                    }

                    if (!ok)
                    {
                        failures.Add($"{key} as {role} ({(inside ? "inside" : "outside")}): expected {expected}, got {status}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [SkippableFact]
    public async Task Matrix_WritesAcrossJurisdictions_RefusedForEveryOfficialRole()
    {
        var failures = new List<string>();
        foreach (var role in Officials)
        {
            using var client = await Factory.ClientAsAsync(role, "140105", "140105000001");
            foreach (var division in new[] { "140105", "140106", "320106" })
            {
                var response = await client.PostAsJsonAsync(Base, TestData.Declaration(residenceDivision: division));
                var expected = division == "140105" ? HttpStatusCode.Created : HttpStatusCode.Forbidden;
                if (response.StatusCode != expected)
                {
                    failures.Add($"{role} declaring in {division}: expected {(int)expected}, got {(int)response.StatusCode}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [SkippableFact]
    public async Task List_OfficerOfOneCounty_SeesNoRecordOfAnother()
    {
        var outside = await DeclareAsync(await Factory.ClientAsAsync(Roles.Officer, "140106", ""), TestData.Declaration(residenceDivision: "140106"));
        var inside = await DeclareAsync(await Factory.ClientAsAsync(Roles.Officer), TestData.Declaration());
        using var client = await Factory.ClientAsAsync(Roles.Officer, "140105", "");

        var other = await Json(await client.GetAsync($"{Base}?division=140106&pageSize=50"));

        Assert.Equal(0, (int?)other["total"]);
        Assert.DoesNotContain(outside, other.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{Base}/{inside}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{Base}/{outside}")).StatusCode);
    }

    [SkippableFact]
    public async Task Get_HealthOfficer_SeesFamilyPlanningFieldsNotEmployment()
    {
        var id = await DeclareAsync(await Factory.ClientAsAsync(Roles.Officer), TestData.Declaration());
        using var client = await Factory.ClientAsAsync(Roles.Health, "140105", "");

        var record = (await Json(await client.GetAsync($"{Base}/{id}")))["record"]!.AsObject();

        Assert.True(record.ContainsKey("maritalStatus"));
        Assert.True(record.ContainsKey("marriageBirthCertificate"));
        Assert.True(record.ContainsKey("children"));
        Assert.False(record.ContainsKey("employment"));
        Assert.False(record.ContainsKey("workplace"));
        Assert.False(record.ContainsKey("socialInsurance"));
        Assert.Contains("**********", (string)record["idNumber"]!, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Get_OfficialWithoutPurpose_Returns400()
    {
        var id = await DeclareAsync(await Factory.ClientAsAsync(Roles.Officer), TestData.Declaration());
        using var client = Factory.ClientFor(await Factory.CreateAsync(Roles.Officer), purpose: false);

        var response = await client.GetAsync($"{Base}/{id}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Json(response);
        Assert.Equal(30001, (int?)problem["errorCode"]);

        // Purpose limitation is 个人信息保护法 第六条; the record is in 山西, so 山西2017 第二十三条 and the national 第十七条
        // (confidentiality) stand beside it, read from the policy files.
        var detail = (string?)problem["detail"];
        Assert.Contains("《中华人民共和国个人信息保护法》第六条", detail, StringComparison.Ordinal);
        Assert.Contains("《山西省流动人口服务管理办法》第二十三条", detail, StringComparison.Ordinal);
        Assert.Contains("《居住证暂行条例》第十七条", detail, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Get_OfficialWithoutPurpose_RecordInShandong_CitesItsJurisdictionNotShanxi()
    {
        var id = await DeclareAsync(await Factory.ClientAsAsync(Roles.Officer, "370202", "370202000001"),
            TestData.Declaration(residenceDivision: "370202", residenceAddress: "青岛市市南区香港中路1号"));
        using var client = Factory.ClientFor(await Factory.CreateAsync(Roles.Officer, "370202", "370202000001"), purpose: false);

        var problem = await Json(await client.GetAsync($"{Base}/{id}"));

        // 山东 306号令 is silent on confidentiality (as quoted): the national 第十七条 binds; nothing of 山西.
        var detail = (string?)problem["detail"];
        Assert.Equal(30001, (int?)problem["errorCode"]);
        Assert.Contains("《中华人民共和国个人信息保护法》第六条", detail, StringComparison.Ordinal);
        Assert.Contains("《居住证暂行条例》第十七条", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("山西", detail, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Get_HealthOfficer_ViewBasisIsTheRecordsJurisdictions()
    {
        var shanxi = await DeclareAsync(await Factory.ClientAsAsync(Roles.Officer), TestData.Declaration());
        var shandong = await DeclareAsync(await Factory.ClientAsAsync(Roles.Officer, "370202", "370202000001"),
            TestData.Declaration(residenceDivision: "370202", residenceAddress: "青岛市市南区香港中路2号"));
        using var inShanxi = await Factory.ClientAsAsync(Roles.Health, "140105", "");
        using var inShandong = await Factory.ClientAsAsync(Roles.Health, "370202", "");

        var a = (string?)(await Json(await inShanxi.GetAsync($"{Base}/{shanxi}")))["viewBasis"];
        var b = (string?)(await Json(await inShandong.GetAsync($"{Base}/{shandong}")))["viewBasis"];

        Assert.Contains("《山西省流动人口服务管理办法》第六条", a, StringComparison.Ordinal);
        Assert.Contains("第二十三条", a, StringComparison.Ordinal);
        Assert.Contains("《山东省流动人口服务管理暂行办法》第六条", b, StringComparison.Ordinal);
        Assert.Contains("《居住证暂行条例》第五条", b, StringComparison.Ordinal);
        Assert.DoesNotContain("山西", b, StringComparison.Ordinal);
        Assert.DoesNotContain("大同", b, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Declare_MigrantForSomeoneElse_Returns403()
    {
        using var client = await Factory.ClientAsAsync(Roles.Migrant, "", "", TestData.NewIdNumber());

        var response = await client.PostAsJsonAsync(Base, TestData.Declaration());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [SkippableFact]
    public async Task MyAccessLog_AfterOfficialsRead_ShowsOfficePurposeAndDepartments()
    {
        var person = TestData.NewIdNumber();
        var id = await DeclareAsync(await Factory.ClientAsAsync(Roles.Officer), TestData.Declaration(person));
        var officer = await Factory.CreateAsync(Roles.Officer);
        using (var c = Factory.ClientFor(officer))
        {
            Assert.Equal(HttpStatusCode.OK, (await c.GetAsync($"{Base}/{id}")).StatusCode);
        }

        var health = await Factory.CreateAsync(Roles.Health, "140105", "", office: "小店区卫生健康局");
        using (var c = Factory.ClientFor(health))
        {
            Assert.Equal(HttpStatusCode.OK, (await c.GetAsync($"{Base}/{id}")).StatusCode);
        }

        using var migrant = await Factory.ClientAsAsync(Roles.Migrant, "", "", person);
        var log = await Json(await migrant.GetAsync("/api/v1/me/access-log"));
        var page = await migrant.GetStringAsync("/me/access-log");

        Assert.Contains("小店区卫生健康局", log["departmentsReceived"]!.AsArray().Select(d => (string?)d));
        Assert.Contains(log["items"]!.AsArray(), i => (string?)i!["purpose"] == TestAccounts.PurposeLabel && (string?)i["role"] == "派出所民警");
        Assert.DoesNotContain(officer.Id, log.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(officer.UserName, log.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("小店区卫生健康局", page, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AuditSearch_ChiefByRegistration_FindsReadsWithPurpose()
    {
        var id = await DeclareAsync(await Factory.ClientAsAsync(Roles.Officer), TestData.Declaration());
        using (var c = await Factory.ClientAsAsync(Roles.Officer))
        {
            await c.GetAsync($"{Base}/{id}");
        }

        using var chief = await Factory.ClientAsAsync(Roles.StationChief);
        var result = await Json(await chief.PostAsJsonAsync("/api/v1/audit/search", new { registrationId = id }));

        Assert.Contains(result["items"]!.AsArray(), i => (string?)i!["action"] == "read" && (string?)i["purpose"] == TestAccounts.PurposeLabel
            && ((string?)i["purposeBasis"])!.Contains("《山西省流动人口服务管理办法》第二十三条", StringComparison.Ordinal));
        Assert.Contains(result["items"]!.AsArray(), i => (string?)i!["action"] == "write");
    }

    [SkippableFact]
    public async Task SignIn_OfficerWithPasswordAndTotp_GetsWorkingToken()
    {
        var (_, userName, password, key) = await Factory.OnboardAsync(Roles.Officer, ["140105"]);
        Assert.NotNull(key);
        using var anonymous = Factory.CreateClient();

        var withoutTotp = await anonymous.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName, password });
        // The same answer as a wrong password: a missing code must not confirm the password.
        Assert.Equal(30002, (int?)(await Json(withoutTotp))["errorCode"]);

        HttpResponseMessage signIn = null!;
        foreach (var at in new[] { DateTimeOffset.UtcNow, FixedTimeProvider.Now })
        {
            signIn = await anonymous.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName, password, totp = Totp.Code(key!, at) });
            if (signIn.IsSuccessStatusCode)
            {
                break;
            }
        }

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        using var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)(await Json(signIn))["token"]!);
        var me = await Json(await client.GetAsync("/api/v1/auth/me"));
        Assert.Equal(Roles.Officer, (string?)me["role"]);
    }

    [SkippableFact]
    public async Task SignIn_FiveWrongPasswords_BacksOffThatSource()
    {
        var userName = (await Factory.OnboardAsync(Roles.Reporter)).UserName;
        using var anonymous = Factory.CreateClient();
        for (var i = 0; i < 5; i++)
        {
            await anonymous.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName, password = "wrong-password-X1" });
        }

        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName, password = "Correct-Horse-42" });

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [SkippableFact]
    public async Task ActivateAccount_WeakPassword_Returns400()
    {
        using var admin = await Factory.ClientAsAsync(Roles.Administrator, "", "");
        using var approver = await Factory.ClientAsAsync(Roles.Administrator, "", "");
        var userName = "weak-" + Guid.NewGuid().ToString("N")[..6];
        var created = await Json(await admin.PostAsJsonAsync("/api/v1/admin/accounts", new { userName, role = Roles.Reporter }));
        var approved = await Json(await approver.PostAsync($"/api/v1/admin/accounts/{(string)created["account"]!["id"]!}/approve", null));
        using var holder = Factory.CreateClient();

        var response = await holder.PostAsJsonAsync("/api/v1/auth/activate", new
        {
            userName,
            activationCode = (string)created["activationCodeFirstHalf"]! + (string)approved["activationCodeSecondHalf"]!,
            newPassword = "123456",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await Json(response))["errors"]!["newPassword"]);
    }

    [SkippableFact]
    public async Task IdempotencyKey_ReusedByAnotherAccount_DoesNotReplayFirstResponse()
    {
        var key = Guid.NewGuid().ToString("N");
        var declaration = TestData.Declaration();
        using var first = await Factory.ClientAsAsync(Roles.Officer);
        using var second = await Factory.ClientAsAsync(Roles.Collector);
        using var request1 = new HttpRequestMessage(HttpMethod.Post, Base) { Content = JsonContent.Create(declaration) };
        request1.Headers.Add("Idempotency-Key", key);
        using var request2 = new HttpRequestMessage(HttpMethod.Post, Base) { Content = JsonContent.Create(declaration) };
        request2.Headers.Add("Idempotency-Key", key);

        Assert.Equal(HttpStatusCode.Created, (await first.SendAsync(request1)).StatusCode);
        var replay = await second.SendAsync(request2);

        Assert.False(replay.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
    }

    [SkippableFact]
    public async Task SignInForm_WithoutAntiforgeryToken_IsRejected()
    {
        using var client = Factory.CreateClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["userName"] = "demo-migrant", ["password"] = "x" });

        var response = await client.PostAsync("/account/sign-in", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [SkippableFact]
    public async Task Statistics_Analyst_GetsCountsWithSmallCellsSuppressed()
    {
        await DeclareAsync(await Factory.ClientAsAsync(Roles.Officer, "140107", ""), TestData.Declaration(residenceDivision: "140107"));
        using var analyst = await Factory.ClientAsAsync(Roles.Analyst, "140107", "");

        var rows = (await Json(await analyst.GetAsync("/api/v1/statistics/registrations"))).AsArray();

        Assert.All(rows, r => Assert.StartsWith("140107", (string)r!["division"]!, StringComparison.Ordinal));
        Assert.Contains(rows, r => (bool)r!["suppressed"]! && r["count"] is null);
        Assert.DoesNotContain("name", rows.ToJsonString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Token_Forged_Returns401()
    {
        using var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sjt_forged");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(Base)).StatusCode);
    }

    [SkippableFact]
    public async Task Tokens_StoredOnlyAsHash()
    {
        var account = await Factory.CreateAsync(Roles.Reporter, "", "");
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();

        var stored = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == account.Id).Select(t => t.TokenHash).SingleAsync();

        Assert.NotEqual(account.Token, stored);
        Assert.Equal(Web.Access.Accounts.ApiTokenService.Hash(account.Token), stored);
    }

    [SkippableFact]
    public async Task Responses_CarrySecurityHeaders()
    {
        using var client = Factory.CreateClient();

        var response = await client.GetAsync("/");

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [SkippableFact]
    public async Task Audit_AfterReadsAndWrites_ChainVerifies()
    {
        var id = await DeclareAsync(await Factory.ClientAsAsync(Roles.Officer), TestData.Declaration());
        using (var c = await Factory.ClientAsAsync(Roles.Officer))
        {
            await c.GetAsync($"{Base}/{id}");
        }

        var result = await Factory.VerifyAuditAsync();

        Assert.True(result.Intact, result.Problem);
        Assert.True(result.Checked >= 2);
    }

    /// <summary>This file's expectations plus every module's <see cref="IAuthorizationMatrixPart"/>.</summary>
    private static Dictionary<string, string[]> WithParts(Dictionary<string, string[]> core)
    {
        foreach (var part in IAuthorizationMatrixPart.All)
        {
            foreach (var (key, roles) in part.Expected)
            {
                if (core.TryGetValue(key, out var existing) && !existing.Order().SequenceEqual(roles.Order()))
                {
                    throw new InvalidOperationException($"Two matrix parts disagree on {key}.");
                }

                core[key] = roles;
            }
        }

        return core;
    }

    /// <summary>The roles allowed on an endpoint by the matrix, or null for one it does not list.</summary>
    internal static string[]? AllowedRoles(string key) => Expected.GetValueOrDefault(key);

    /// <summary>A request body that works for the endpoint (the matrix's and the fuzz test's), or null.</summary>
    internal static object? SampleBody(string key, string idNumber) => key switch
    {
        "DeclareRegistration" => TestData.Declaration(idNumber),
        "ConfirmRegistration" => new { version = 1, stationCode = "140105000001", stationName = "亲贤派出所", officerName = "李警官" },
        "CorrectRegistration" => new { version = 1, reason = "录入错误", changes = new { name = "王晓明" } },
        "ChangeRegistration" => new { version = 1, changes = new { workplace = "太原市某公司" } },
        "EndRegistration" => new { version = 1, departedOn = "2026-06-14" },
        "SearchRegistrationsByIdNumber" => new { idNumber },
        "SearchRegistrationsByName" => new { name = "王小明" },
        "POST /api/v1/policy/evaluate" => new { },
        "SignIn" => new { userName = "nobody", password = "wrong" },
        "CreateApiToken" => new { accountId = "no-such-account", purpose = "matrix", scope = "read" },
        "CreateAccount" => new { userName = "acct-" + Guid.NewGuid().ToString("N")[..8], role = Roles.Collector, divisions = new[] { "140105" } },
        "RequestAccountChange" => new { role = Roles.Officer },
        "ActivateAccount" => new { userName = "nobody", activationCode = "ABCDEFGHJKMNPQRS", newPassword = "Correct-Horse-42" },
        "SearchAudit" => new { },
        "VerifyAudit" => new { },
        "CheckAuditProof" => new { },
        _ => IAuthorizationMatrixPart.All.Select(p => p.Body(key, idNumber)).FirstOrDefault(b => b is not null),
    };

    private static HttpRequestMessage Build(string key, RouteEndpoint endpoint, string target, string idNumber)
    {
        // Other route values name nothing that exists: the handler answers its own 404, past the access checks.
        var path = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/').Replace("{id:guid}", target, StringComparison.Ordinal)
            .Replace("{tokenId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("{accountId}", "no-such-account", StringComparison.Ordinal)
            .Replace("{id:long}", "999999999", StringComparison.Ordinal);
        var method = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods[0] ?? "GET";
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var body = SampleBody(key, idNumber);
        if (key == "UploadRegistrationPhoto")
        {
            request.Content = new ByteArrayContent(TestData.Jpeg(1024));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return request;
    }

    private static async Task<string> DeclareAsync(HttpClient client, JsonObject declaration)
    {
        using (client)
        {
            var response = await client.PostAsJsonAsync(Base, declaration);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (string)(await Json(response))["id"]!;
        }
    }

    private static async Task<JsonNode> Json(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");
}

public sealed class SqliteAccessTests(SqliteAppFixture fixture)
    : AccessTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresAccessTests(PostgresAppFixture fixture)
    : AccessTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
