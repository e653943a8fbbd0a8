using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sojourn.Data.Access;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests;

/// <summary>No identity number reaches the logs: everything logged at Trace during a full flow is scanned.</summary>
public sealed class LogPrivacyTests
{
    [Fact]
    public async Task FullRegistrationFlow_AllLogOutput_HoldsNoIdentityNumber()
    {
        var sink = new CapturingLoggerProvider();
        using var factory = new SojournAppFactory(DatabaseKind.Sqlite, b =>
        {
            b.UseSetting("Logging:LogLevel:Default", "Trace");
            b.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace");
            b.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "Trace");
            b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(sink));
        });
        var person = TestData.NewIdNumber();
        const string childFirst17 = "14010520180301002";
        var childNumber = childFirst17 + Sojourn.Domain.CitizenId.ComputeCheckCharacter(childFirst17);
        var corrected = TestData.NewIdNumber();
        var invalid = person[..17] + (person[17] == '0' ? '1' : '0');
        using var client = await factory.ClientAsAsync(Roles.Officer, "14", "");

        var declaration = TestData.Declaration(person);
        declaration["children"]![0]!["idNumber"] = childNumber;
        var created = await client.PostAsJsonAsync("/api/v1/registrations", declaration);
        var id = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!;
        await client.PostAsJsonAsync($"/api/v1/registrations/{id}/confirm", new { version = 1, stationCode = "140105000001", stationName = "亲贤派出所", officerName = "李警官" });
        await client.PostAsJsonAsync($"/api/v1/registrations/{id}/corrections", new { version = 2, reason = "号码录入错误", changes = new { idNumber = corrected } });
        await client.GetAsync($"/api/v1/registrations/{id}");
        await client.GetAsync($"/api/v1/registrations/{id}/versions");
        await client.GetAsync("/api/v1/registrations?division=140105");
        await client.PostAsJsonAsync("/api/v1/registrations/search", new { idNumber = person });
        await client.PostAsJsonAsync("/api/v1/registrations/search", new { idNumber = invalid });
        await client.PostAsJsonAsync("/api/v1/registrations", TestData.Declaration(invalid));
        await client.PostAsJsonAsync($"/api/v1/registrations/{id}/departure", new { version = 3, departedOn = "2026-06-14" });
        using var anonymous = factory.CreateClient();
        await anonymous.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName = person, password = corrected });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var all = string.Join("\n", sink.Lines);
        Assert.True(sink.Lines.Count > 50, "too little was logged to prove anything");
        foreach (var number in new[] { person, childNumber, corrected, invalid })
        {
            Assert.DoesNotContain(number, all, StringComparison.OrdinalIgnoreCase);
        }
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Queue { get; } = new();

        public ConcurrentQueue<string> Lines => Queue;

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull
            {
                owner.Queue.Enqueue($"{category} scope {Describe(state)}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                owner.Queue.Enqueue($"{category} {logLevel} {formatter(state, exception)} {Describe(state)} {exception}");
            }

            private static string Describe(object? state) => state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}"))
                : state?.ToString() ?? "";
        }
    }
}
