using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data.Access;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Access;

/// <summary>
/// Sign-in as an attacker tries it: a one-time code replayed or too old, every kind of failure compared (answer
/// and time), a stranger failing on purpose from elsewhere, and a cookie left over from before a lock or unlock.
/// The app trusts X-Forwarded-For here (Sojourn:Host:ForwardedHeaders) so tests can speak from several sources.
/// </summary>
public abstract partial class SignInTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    private const string Password = "Correct-Horse-42";

    public static SojournAppFactory Create(DatabaseKind kind) => new(kind, b =>
    {
        b.UseSetting("Sojourn:Host:ForwardedHeaders", "true");
        // Every request checks the cookie's security stamp, so a lock shows at once.
        b.ConfigureTestServices(s => s.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero));
    });

    [SkippableFact]
    public async Task OneTimeCode_UsedTwice_SecondSignInRefused()
    {
        var userName = await CreateAccountAsync(Roles.Officer);
        var code = Totp.Code(Secret, Factory.Clock.GetUtcNow());

        var first = await SignInAsync(userName, Password, code);
        var second = await SignInAsync(userName, Password, code);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertFailedAsync(second);
    }

    [SkippableFact]
    public async Task OneTimeCode_OneStepOld_Accepted_TwoStepsOld_Refused()
    {
        var now = Factory.Clock.GetUtcNow();
        var stale = await CreateAccountAsync(Roles.Officer);
        var drifted = await CreateAccountAsync(Roles.Officer);

        var twoSteps = await SignInAsync(stale, Password, Totp.Code(Secret, now.AddSeconds(-60)));
        var oneStep = await SignInAsync(drifted, Password, Totp.Code(Secret, now.AddSeconds(-30)));
        var olderAfterNewer = await SignInAsync(drifted, Password, Totp.Code(Secret, now.AddSeconds(-30)));

        await AssertFailedAsync(twoSteps);
        Assert.Equal(HttpStatusCode.OK, oneStep.StatusCode);
        await AssertFailedAsync(olderAfterNewer);
    }

    [SkippableFact]
    public async Task SignIn_EveryKindOfFailure_SameAnswer()
    {
        var reporter = await CreateAccountAsync(Roles.Reporter);
        var officer = await CreateAccountAsync(Roles.Officer);
        var locked = await CreateAccountAsync(Roles.Reporter);
        using (var scope = Factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<SojournUser>>();
            var user = await users.FindByNameAsync(locked);
            await users.SetLockoutEndDateAsync(user!, DateTimeOffset.MaxValue);
        }

        var failures = new[]
        {
            await SignInAsync("nobody-" + Guid.NewGuid().ToString("N")[..8], Password, null),
            await SignInAsync(reporter, "Wrong-Horse-42", null),
            await SignInAsync(locked, Password, null),
            await SignInAsync(officer, Password, null),
            await SignInAsync(officer, Password, "000000"),
            await SignInAsync(officer, "Wrong-Horse-42", Totp.Code(Secret, Factory.Clock.GetUtcNow())),
        };

        var bodies = new List<string>();
        foreach (var response in failures)
        {
            bodies.Add(await AssertFailedAsync(response));
        }

        Assert.Single(bodies.Distinct());
    }

    [SkippableFact]
    public async Task SignIn_UnknownAccount_TakesAboutAsLongAsWrongPassword()
    {
        var reporter = await CreateAccountAsync(Roles.Reporter);
        await SignInAsync(reporter, "warm-up", null);

        var unknown = new List<double>();
        var wrong = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            unknown.Add(await TimeAsync(() => SignInAsync("nobody-" + Guid.NewGuid().ToString("N")[..8], Password, null, source: "198.51.100.7")));
            wrong.Add(await TimeAsync(() => SignInAsync(reporter, "Wrong-Horse-" + i, null, source: "198.51.100.8")));
        }

        // Both pay for one PBKDF2 verification (210 000 iterations); before, an unknown name answered at once.
        Assert.True(unknown.Order().ElementAt(1) > wrong.Order().ElementAt(1) * 0.5, $"unknown {string.Join('/', unknown)} ms, wrong {string.Join('/', wrong)} ms");
    }

    [SkippableFact]
    public async Task SignIn_StrangerFailsFromOneSource_HolderStillSignsInFromAnother()
    {
        var userName = await CreateAccountAsync(Roles.Reporter);
        for (var i = 0; i < 5; i++)
        {
            await AssertFailedAsync(await SignInAsync(userName, "Wrong-Horse-42", null, source: "203.0.113.9"));
        }

        var strangerAgain = await SignInAsync(userName, Password, null, source: "203.0.113.9");
        var holder = await SignInAsync(userName, Password, null, source: "198.51.100.20");

        Assert.Equal(HttpStatusCode.TooManyRequests, strangerAgain.StatusCode);
        Assert.True(strangerAgain.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After");
        Assert.Equal(HttpStatusCode.OK, holder.StatusCode);

        // The wait doubles: after it passes, one more failure waits twice as long.
        var first = strangerAgain.Headers.RetryAfter!.Delta!.Value;
        try
        {
            Factory.Clock.Advance(first + TimeSpan.FromSeconds(1));
            await AssertFailedAsync(await SignInAsync(userName, "Wrong-Horse-42", null, source: "203.0.113.9"));
            var next = await SignInAsync(userName, Password, null, source: "203.0.113.9");
            Assert.Equal(HttpStatusCode.TooManyRequests, next.StatusCode);
            Assert.True(next.Headers.RetryAfter!.Delta > first, $"{next.Headers.RetryAfter.Delta} after {first}");
        }
        finally
        {
            Factory.Clock.Reset();
        }
    }

    [SkippableFact]
    public async Task Cookie_AfterLockAndUnlock_SignsOutCleanly()
    {
        var userName = await CreateAccountAsync(Roles.Reporter);
        using var browser = Factory.CreateClient();
        var form = await browser.GetStringAsync("/account/sign-in");
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["userName"] = userName,
            ["password"] = Password,
        });
        var signedIn = await browser.PostAsync("/account/sign-in", content);
        Assert.NotEqual("/account/sign-in", signedIn.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/auth/me")).StatusCode);
        string id;
        using (var scope = Factory.Services.CreateScope())
        {
            id = (await scope.ServiceProvider.GetRequiredService<UserManager<SojournUser>>().FindByNameAsync(userName))!.Id;
        }

        using var admin = await Factory.ClientAsAsync(Roles.Administrator, "", "");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/admin/accounts/{id}/lock", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/admin/accounts/{id}/unlock", null)).StatusCode);

        HttpResponseMessage stale, again;
        try
        {
            // Past the cookie's last security-stamp check.
            Factory.Clock.Advance(TimeSpan.FromMinutes(2));
            stale = await browser.GetAsync("/api/v1/auth/me");
            again = await browser.GetAsync("/api/v1/auth/me");
        }
        finally
        {
            Factory.Clock.Reset();
        }

        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);
        Assert.Contains(stale.Headers.GetValues("Set-Cookie"), c => c.StartsWith("sojourn.auth=;", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    /// <summary>The secret every test account's authenticator holds.</summary>
    private const string Secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    private async Task<string> CreateAccountAsync(string role)
    {
        using var scope = Factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SojournUser>>();
        var user = new SojournUser
        {
            UserName = $"{role}-{Guid.NewGuid():N}"[..24],
            Role = role,
            Office = "测试机关",
            Divisions = Roles.IsOfficial(role) ? "140105" : "",
        };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Code)));
        if (Roles.RequiresSecondFactor(role))
        {
            await users.SetAuthenticationTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey", Secret);
            await users.SetTwoFactorEnabledAsync(user, true);
        }

        return user.UserName;
    }

    private async Task<HttpResponseMessage> SignInAsync(string userName, string password, string? totp, string source = "192.0.2.1")
    {
        using var client = Factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/sign-in")
        {
            Content = JsonContent.Create(new { userName, password, totp }),
        };
        request.Headers.Add("X-Forwarded-For", source);
        return await client.SendAsync(request);
    }

    private static async Task<double> TimeAsync(Func<Task<HttpResponseMessage>> call)
    {
        var watch = Stopwatch.StartNew();
        (await call()).Dispose();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static async Task<string> AssertFailedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var json = JsonNode.Parse(body)!;
        Assert.Equal(30002, (int?)json["errorCode"]);
        return (string)json["title"]! + "|" + (string?)json["type"];
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}

public sealed class SqliteSignInFixture : IDisposable
{
    public SojournAppFactory Factory { get; } = SignInTests.Create(DatabaseKind.Sqlite);

    public void Dispose() => Factory.Dispose();
}

public sealed class PostgresSignInFixture : IDisposable
{
    public PostgresSignInFixture()
    {
        if (PostgresCluster.FindBinDir() is null)
        {
            // As PostgresAppFixture: in CI a missing PostgreSQL is a broken set-up, not a reason to pass.
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(PostgresCluster.EnableHint);
            }

            SkipReason = PostgresCluster.EnableHint;
            return;
        }

        Factory = SignInTests.Create(DatabaseKind.Postgres);
    }

    public SojournAppFactory? Factory { get; }

    public string? SkipReason { get; }

    public void Dispose() => Factory?.Dispose();
}

public sealed class SqliteSignInTests(SqliteSignInFixture fixture)
    : SignInTests(fixture.Factory, null), IClassFixture<SqliteSignInFixture>;

public sealed class PostgresSignInTests(PostgresSignInFixture fixture)
    : SignInTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresSignInFixture>;
