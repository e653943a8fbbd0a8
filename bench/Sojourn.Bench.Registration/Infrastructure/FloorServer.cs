using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;
using Sojourn.Bench.Registration.Generation;
using Sojourn.Bench.Registration.Measurement;
using Sojourn.Data.Security;

namespace Sojourn.Bench.Registration.Infrastructure;

/// <summary>
/// The HTTP floor: the least any ASP.NET Core app on this machine can do for the same two requests, run as its own
/// process like the app (workstation GC, as Sojourn.Web) and driven by the same client. POST reads the same JSON body,
/// protects the identity number as the app does (SM4 and HMAC) and writes the rows with the ceiling's raw INSERT;
/// GET reads the row by primary key with the ceiling's SELECT and writes it as JSON. No sign-in, no validation, no
/// audit, no field view: what is left between this and the app is the app's own work.
/// </summary>
public static class FloorServer
{
    public const string Schema = "ceiling_http";

    /// <summary>Starts the floor: this benchmark's own dll in its <c>floor</c> mode.</summary>
    public static Task<WebAppProcess> StartAsync(string connectionString, string sm4Key, string hmacKey, DateOnly today, CancellationToken cancellationToken)
    {
        var url = WebAppProcess.LoopbackUrl();
        var psi = WebAppProcess.Dotnet(typeof(FloorServer).Assembly.Location, "floor");
        var env = psi.Environment;
        env["SOJOURN_FLOOR_URL"] = url;
        env["SOJOURN_FLOOR_CONNECTION"] = connectionString;
        env["SOJOURN_FLOOR_SM4"] = sm4Key;
        env["SOJOURN_FLOOR_HMAC"] = hmacKey;
        env["SOJOURN_FLOOR_TODAY"] = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // The app's GC mode (this benchmark's own is server GC, for the load generator).
        env["DOTNET_gcServer"] = "0";
        return WebAppProcess.LaunchAsync(psi, url, "floor/health", "HTTP floor", cancellationToken);
    }

    /// <summary>The child process (<c>Sojourn.Bench.Registration.dll floor</c>); settings come in the environment.</summary>
    public static async Task<int> RunAsync()
    {
        var url = Environment.GetEnvironmentVariable("SOJOURN_FLOOR_URL")!;
        var protector = IdentityProtector.FromHex(
            Environment.GetEnvironmentVariable("SOJOURN_FLOOR_SM4")!, Environment.GetEnvironmentVariable("SOJOURN_FLOOR_HMAC")!);
        var today = DateOnly.ParseExact(Environment.GetEnvironmentVariable("SOJOURN_FLOOR_TODAY")!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var dataSource = NpgsqlDataSource.Create(
            Environment.GetEnvironmentVariable("SOJOURN_FLOOR_CONNECTION") + ";Max Auto Prepare=32;Auto Prepare Min Usages=2;No Reset On Close=true");
        var ceilings = new Ceilings(dataSource);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        app.MapGet("/floor/health", () => Results.Ok());
        app.MapPost("/floor/registrations", async (HttpRequest request, CancellationToken ct) =>
        {
            var person = await JsonSerializer.DeserializeAsync<SyntheticPerson>(request.Body, JsonOptions.Lines, ct);
            var row = StoredRegistration.From(person!, protector, today, DateTime.UtcNow);
            await ceilings.InsertAsync(row, Schema, ct);
            return Results.Created($"/floor/registrations/{row.Registration.Id}", null);
        });
        app.MapGet("/floor/registrations/{id:guid}", async (Guid id, HttpResponse response, CancellationToken ct) =>
        {
            await using var conn = await dataSource.OpenConnectionAsync(ct);
            await using var cmd = Ceilings.SelectCommand(conn, id);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            response.ContentType = "application/json; charset=utf-8";
            await using var json = new Utf8JsonWriter(response.BodyWriter);
            json.WriteStartObject();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                json.WritePropertyName(reader.GetName(i));
                JsonSerializer.Serialize(json, reader.IsDBNull(i) ? null : reader.GetValue(i));
            }

            json.WriteEndObject();
        });
        await app.RunAsync();
        return 0;
    }
}
