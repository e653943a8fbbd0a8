using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data.Access;
using Sojourn.Web.Access;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Access;

/// <summary>
/// OpenID Connect sign-in against a minimal provider run in the test (Kestrel on 127.0.0.1, discovery,
/// JWKS, authorize, token; RS256 id_token): a subject an administrator linked to an account signs in as that
/// account; an unlinked subject is sent back to the sign-in form with no session.
/// </summary>
public sealed class OidcSignInTests : IAsyncLifetime
{
    private const string ClientId = "sojourn-test";
    private const string ClientSecret = "test-secret";
    private readonly TestProvider _provider = new();
    private SojournAppFactory _factory = null!;

    public async Task InitializeAsync()
    {
        await _provider.StartAsync();
        _factory = new SojournAppFactory(DatabaseKind.Sqlite, b =>
        {
            b.UseSetting("Sojourn:Oidc:Authority", _provider.Issuer);
            b.UseSetting("Sojourn:Oidc:ClientId", ClientId);
            b.UseSetting("Sojourn:Oidc:ClientSecret", ClientSecret);
            b.UseSetting("Sojourn:Oidc:RequireHttpsMetadata", "false");
            // Correlation and nonce cookies expire by the wall clock the cookie jar uses.
            b.ConfigureTestServices(s => s.AddSingleton(TimeProvider.System));
        });
    }

    public async Task DisposeAsync()
    {
        _factory.Dispose();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task SignIn_LinkedSubject_GetsTheirAccount()
    {
        var account = await _factory.CreateAsync(Roles.Collector, office: "亲贤社区");
        await LinkAsync(account.Id, "subject-linked");
        using var browser = Browser();

        var landing = await SignInAsync(browser, "subject-linked");
        var me = await browser.GetAsync("/api/v1/auth/me");

        Assert.Equal("/", landing);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var body = JsonNode.Parse(await me.Content.ReadAsStringAsync())!;
        Assert.Equal(account.Id, (string?)body["id"]);
        Assert.Equal(Roles.Collector, (string?)body["role"]);
    }

    [Fact]
    public async Task SignIn_UnlinkedSubject_IsRefused()
    {
        using var browser = Browser();

        var landing = await SignInAsync(browser, "subject-nobody-linked");

        Assert.Equal("/account/sign-in?error=oidc", landing);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    /// <summary>What a browser does: start, let the provider authenticate, post the code back; returns where the app lands.</summary>
    private async Task<string> SignInAsync(HttpClient browser, string subject)
    {
        var challenge = await browser.GetAsync("/account/sign-in/oidc");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.StartsWith(_provider.Issuer, authorize.ToString(), StringComparison.Ordinal);

        // The provider authenticates the user as `subject` and hands back a code (response_mode=form_post).
        _provider.NextSubject = subject;
        using var op = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var form = JsonNode.Parse(await op.GetStringAsync(authorize))!.AsObject();
        var callback = new Uri((string)form["redirect_uri"]!);

        using var post = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["code"] = (string)form["code"]!,
            ["state"] = (string)form["state"]!,
        });
        var signedIn = await browser.PostAsync(callback.PathAndQuery, post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return signedIn.Headers.Location!.ToString();
    }

    private HttpClient Browser() => _factory.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        BaseAddress = new Uri("https://localhost"),
    });

    private async Task LinkAsync(string accountId, string subject)
    {
        using var scope = _factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SojournUser>>();
        var user = await users.FindByIdAsync(accountId);
        var linked = await users.AddLoginAsync(user!, new UserLoginInfo(AccessModule.OidcScheme, subject, "省统一身份认证"));
        Assert.True(linked.Succeeded);
    }

    /// <summary>
    /// Just enough of an OpenID provider for the authorization code flow. The authorize endpoint answers with
    /// JSON (code, state, redirect_uri) instead of an auto-posting form, which the test posts itself.
    /// </summary>
    private sealed class TestProvider : IAsyncDisposable
    {
        private readonly RSA _key = RSA.Create(2048);
        private readonly ConcurrentDictionary<string, (string Subject, string Nonce)> _codes = new();
        private WebApplication? _app;

        public string Issuer { get; private set; } = "";

        public string NextSubject { get; set; } = "";

        public async Task StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
            _app = builder.Build();
            _app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = Issuer,
                ["authorization_endpoint"] = Issuer + "/authorize",
                ["token_endpoint"] = Issuer + "/token",
                ["jwks_uri"] = Issuer + "/jwks",
                ["response_types_supported"] = new[] { "code" },
                ["subject_types_supported"] = new[] { "public" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            }));
            _app.MapGet("/jwks", () =>
            {
                var p = _key.ExportParameters(false);
                return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = "k1", n = B64(p.Modulus!), e = B64(p.Exponent!) } } });
            });
            _app.MapGet("/authorize", (HttpRequest r) =>
            {
                if (r.Query["client_id"] != ClientId || r.Query["response_type"] != "code")
                {
                    return Results.BadRequest();
                }

                var code = B64(RandomNumberGenerator.GetBytes(16));
                _codes[code] = (NextSubject, r.Query["nonce"].ToString());
                return Results.Json(new { code, state = r.Query["state"].ToString(), redirect_uri = r.Query["redirect_uri"].ToString() });
            });
            _app.MapPost("/token", async (HttpRequest r) =>
            {
                var form = await r.ReadFormAsync();
                if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret
                    || !_codes.TryRemove(form["code"].ToString(), out var grant))
                {
                    return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
                }

                var accessToken = B64(RandomNumberGenerator.GetBytes(24));
                var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                var idToken = Jwt(new Dictionary<string, object>
                {
                    ["iss"] = Issuer,
                    ["aud"] = ClientId,
                    ["sub"] = grant.Subject,
                    ["nonce"] = grant.Nonce,
                    ["iat"] = now,
                    ["nbf"] = now,
                    ["exp"] = now + 300,
                    ["at_hash"] = B64(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken))[..16]),
                });
                return Results.Json(new { access_token = accessToken, token_type = "Bearer", expires_in = 300, id_token = idToken });
            });
            await _app.StartAsync();
            var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            Issuer = address.TrimEnd('/');
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }

            _key.Dispose();
        }

        private string Jwt(Dictionary<string, object> claims)
        {
            var header = B64(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT", kid = "k1" }));
            var payload = B64(JsonSerializer.SerializeToUtf8Bytes(claims));
            var signature = _key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            return header + "." + payload + "." + B64(signature);
        }

        private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
