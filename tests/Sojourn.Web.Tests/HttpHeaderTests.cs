using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Web.Hosting;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests;

/// <summary>
/// What the responses and the logs say besides the body: no caching of personal data, HSTS over TLS (also behind
/// a proxy), no server banner, Retry-After on every 429, expected conflicts not logged as errors.
/// </summary>
public sealed class HttpHeaderTests : IClassFixture<HttpHeaderTests.Fixture>
{
    private readonly Fixture _fixture;

    public HttpHeaderTests(Fixture fixture) => _fixture = fixture;

    [Fact]
    public async Task PersonalDataJsonAndPdf_AreNotStored()
    {
        var factory = _fixture.Factory;
        using var officer = await factory.ClientAsAsync(Roles.Officer);
        var created = await officer.PostAsJsonAsync("/api/v1/registrations", TestData.Declaration());
        var id = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!;

        var json = await officer.GetAsync($"/api/v1/registrations/{id}");
        var pdf = await officer.GetAsync($"/api/v1/registrations/{id}/certificate.pdf");
        var me = await officer.GetAsync("/api/v1/auth/me");

        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        foreach (var response in new[] { created, json, pdf, me })
        {
            Assert.True(response.Headers.CacheControl?.NoStore, $"{response.RequestMessage!.RequestUri}: {response.Headers.CacheControl}");
        }
    }

    [Fact]
    public async Task Hsts_OnlyOverTls_AlsoBehindAProxy()
    {
        using var tls = _fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://sojourn.example") });
        using var plain = _fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://sojourn.example") });
        using var proxied = new HttpRequestMessage(HttpMethod.Get, "/account/sign-in");
        proxied.Headers.Add("X-Forwarded-Proto", "https");

        var overTls = await tls.GetAsync("/account/sign-in");
        var overPlain = await plain.GetAsync("/account/sign-in");
        var behindProxy = await plain.SendAsync(proxied);

        Assert.Contains("max-age=", overTls.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        Assert.False(overPlain.Headers.Contains("Strict-Transport-Security"));
        Assert.True(behindProxy.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public void Kestrel_SendsNoServerHeader()
    {
        var kestrel = _fixture.Factory.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;

        Assert.False(kestrel.AddServerHeader);
    }

    [Fact]
    public async Task EveryRateLimit_429_SaysRetryAfter()
    {
        using var factory = new SojournAppFactory(DatabaseKind.Sqlite, b =>
        {
            b.UseSetting("Sojourn:Access:SignInsPerMinute", "1");
            b.UseSetting("Sojourn:Access:IdLookupsPerMinute", "1");
        });
        using var anonymous = factory.CreateClient();
        using var officer = await factory.ClientAsAsync(Roles.Officer);

        await anonymous.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName = "nobody", password = "wrong" });
        var signIn = await anonymous.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName = "nobody", password = "wrong" });
        await officer.PostAsJsonAsync("/api/v1/registrations/search", new { idNumber = TestData.NewIdNumber() });
        var search = await officer.PostAsJsonAsync("/api/v1/registrations/search", new { idNumber = TestData.NewIdNumber() });

        foreach (var response in new[] { signIn, search })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, response.RequestMessage!.RequestUri!.ToString());
        }
    }

    [Fact]
    public async Task ExpectedConflict_IsNotLoggedAsError()
    {
        var account = await _fixture.Factory.CreateAsync(Roles.Reporter, "", "");
        _fixture.Sink.Clear();
        using var scope = _fixture.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var existing = await db.ApiTokens.AsNoTracking().FirstAsync(t => t.UserId == account.Id);
        db.ApiTokens.Add(new ApiToken
        {
            Id = Guid.CreateVersion7(),
            UserId = account.Id,
            TokenHash = existing.TokenHash,
            Name = "duplicate",
            ExpiresAt = DateTime.UtcNow.AddHours(1),
        });

        var problem = await Sojourn.Application.Events.UnitOfWork.SaveInTransactionAsync(db, null, CancellationToken.None);

        Assert.NotNull(problem);
        Assert.DoesNotContain(_fixture.Sink, e => e.Level >= LogLevel.Error);
        Assert.DoesNotContain(_fixture.Sink, e => e.Level >= LogLevel.Information && e.Exception is not null);
    }

    public sealed class Fixture : IDisposable
    {
        public Fixture() => Factory = new SojournAppFactory(DatabaseKind.Sqlite, b =>
        {
            b.UseSetting("Sojourn:Host:ForwardedHeaders", "true");
            b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(new SinkProvider(Sink)));
        });

        public SojournAppFactory Factory { get; }

        public ConcurrentBag<(LogLevel Level, Exception? Exception)> Sink { get; } = [];

        public void Dispose() => Factory.Dispose();
    }

    private sealed class SinkProvider(ConcurrentBag<(LogLevel Level, Exception? Exception)> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(sink);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentBag<(LogLevel Level, Exception? Exception)> sink) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    sink.Add((logLevel, exception));
                }
            }
        }
    }
}
