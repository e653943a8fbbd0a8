using System.Net;
using System.Net.Http.Json;
using Sojourn.Data.Access;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests;

/// <summary>Sign-in and look-ups by identity number are rate-limited (Sojourn:Access limits).</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task SignIn_BeyondLimit_Returns429()
    {
        using var factory = new SojournAppFactory(DatabaseKind.Sqlite, b => b.UseSetting("Sojourn:Access:SignInsPerMinute", "3"));
        using var client = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await client.PostAsJsonAsync("/api/v1/auth/sign-in", new { userName = "nobody", password = "wrong" })).StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task SearchByIdNumber_BeyondLimit_Returns429()
    {
        using var factory = new SojournAppFactory(DatabaseKind.Sqlite, b => b.UseSetting("Sojourn:Access:IdLookupsPerMinute", "2"));
        using var client = await factory.ClientAsAsync(Roles.Officer);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await client.PostAsJsonAsync("/api/v1/registrations/search", new { idNumber = TestData.NewIdNumber() })).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
