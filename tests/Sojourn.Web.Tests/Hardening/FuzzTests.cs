using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Web.Tests.Infrastructure;
using Sojourn.Web.Tests.Permits;

namespace Sojourn.Web.Tests.Hardening;

/// <summary>
/// Every endpoint that takes a JSON body gets that body with each field (those of a working sample and those
/// the OpenAPI schema declares) replaced in turn by hostile values: NUL, a right-to-left override, an escape
/// sequence, 10,000 characters, numbers no column holds, dates at the ends of the calendar, and a value of the
/// wrong shape. Each answer must be a 4xx (never a 5xx, never accepted) and leave every table as it was.
/// The PostgreSQL run matters most: it refuses NUL and over-long text where SQLite stores them.
/// </summary>
public abstract class FuzzTests(SojournAppFactory? factory, string? skipReason)
    : DatabaseTests(factory, skipReason)
{
    private static readonly PermitPlace Place = PermitPlace.Shanxi;

    /// <summary>What a hostile value must get: refused always, refused in a date field, or anything but a 5xx.</summary>
    private enum Expect
    {
        Refused,
        RefusedInDateField,
        RefusedUnlessObjectField,
        No5xx,
    }

    /// <summary>The hostile values, each with a label for the failure message.</summary>
    private static readonly (string Label, Expect Expect, Func<JsonNode?> Value)[] Hostile =
    [
        ("NUL", Expect.Refused, () => JsonValue.Create("王\u0000明")),
        ("RLO", Expect.Refused, () => JsonValue.Create("王\u202E明小")),
        ("ESC", Expect.Refused, () => JsonValue.Create("王\u001B[2J明")),
        ("10000 chars", Expect.Refused, () => JsonValue.Create(new string('字', 10_000))),
        // Longer than most columns, shorter than the boundary's cap: the field's own limit or a 2xx, never a 5xx.
        ("300 chars", Expect.No5xx, () => JsonValue.Create(new string('字', 300))),
        ("3000 chars", Expect.No5xx, () => JsonValue.Create(new string('a', 3000))),
        ("1e308", Expect.Refused, () => JsonNode.Parse("1e308")),
        ("-2^63-1", Expect.Refused, () => JsonNode.Parse("-9223372036854775809")),
        ("9999-12-31", Expect.RefusedInDateField, () => JsonValue.Create("9999-12-31")),
        ("0001-01-01", Expect.RefusedInDateField, () => JsonValue.Create("0001-01-01T00:00:00Z")),
        ("object", Expect.RefusedUnlessObjectField, () => new JsonObject { ["x"] = new JsonArray(1, 2) }),
    ];

    [SkippableFact]
    public async Task EveryBodyField_HostileValue_Answers4xxAndSavesNothing()
    {
        var factory = Factory;
        var schemas = JsonNode.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.Any(c => c.Contains("json", StringComparison.Ordinal)) == true)
            .Select(e => (Key: Web.Access.AccessModule.KeyOf(e)!, Endpoint: e))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .ToList();
        Assert.True(endpoints.Count >= 20, $"only {endpoints.Count} JSON endpoints found");

        var failures = new List<string>();
        var sent = 0;
        foreach (var (key, endpoint) in endpoints)
        {
            var method = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods[0];
            var route = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            using var client = await ClientForAsync(factory, key);
            var (path, sample) = await TargetAsync(factory, key, route);
            var schema = RequestSchema(schemas, route, method);
            var before = await SnapshotAsync(factory);
            var anyAccepted = false;
            foreach (var (leaf, leafSchema, leafSample) in Leaves(sample, schema, schemas, ""))
            {
                var isDate = IsDate(leafSchema, leafSample);
                var isObject = HasType(leafSchema, "object") || leafSchema?["properties"] is not null
                    || (leafSchema?["type"] is null && leafSample is null);
                foreach (var (label, expect, value) in Hostile)
                {
                    var body = (JsonObject)sample.DeepClone();
                    Set(body, leaf, value());
                    using var request = new HttpRequestMessage(new HttpMethod(method), path)
                    {
                        Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
                    };
                    request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{(int?)sample["version"] ?? 1}\""));
                    var response = await client.SendAsync(request);
                    sent++;
                    var status = (int)response.StatusCode;
                    var mustRefuse = expect switch
                    {
                        Expect.Refused => true,
                        Expect.RefusedInDateField => isDate,
                        Expect.RefusedUnlessObjectField => !isObject,
                        _ => false,
                    };
                    anyAccepted |= status < 400;
                    if (status >= 500 || (status < 400 && mustRefuse))
                    {
                        var text = await response.Content.ReadAsStringAsync();
                        failures.Add($"{key} {leaf} = {label}: {status} {text[..Math.Min(text.Length, 200)]}");
                    }
                }
            }

            var after = await SnapshotAsync(factory);
            if (!anyAccepted && after != before)
            {
                failures.Add($"{key}: refused requests changed the tables ({before} → {after})");
            }
        }

        Assert.True(sent > 500, $"only {sent} requests sent");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} hostile requests were not a clean 4xx:\n" + string.Join("\n", failures));
    }

    [SkippableFact]
    public async Task EveryQueryParameter_HostileValue_Answers4xxOrIgnoresIt()
    {
        var factory = Factory;
        var document = JsonNode.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var failures = new List<string>();
        var sent = 0;
        foreach (var (template, operations) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in operations!.AsObject().Where(o => o.Key == "get"))
            {
                var parameters = operation?["parameters"]?.AsArray().Where(p => (string?)p?["in"] == "query").Select(p => (string)p!["name"]!).ToList() ?? [];
                var key = (string?)operation?["operationId"] ?? $"GET {template}";
                using var client = await ClientForAsync(factory, key);
                var (path, _) = await TargetAsync(factory, key, template.Replace("{id}", "{id:guid}", StringComparison.Ordinal));
                foreach (var parameter in parameters)
                {
                    foreach (var (label, expect, value) in Hostile.Where(h => h.Label != "object"))
                    {
                        var text = value() is JsonValue v && v.TryGetValue<string>(out var s) ? s : value()!.ToJsonString();
                        var response = await client.GetAsync($"{path}?{parameter}={Uri.EscapeDataString(text)}");
                        sent++;
                        var status = (int)response.StatusCode;
                        // A filter may ignore or clamp what it cannot use; text the stored-text rule refuses never passes.
                        if (status >= 500 || (status < 400 && label is "NUL" or "RLO" or "ESC"))
                        {
                            failures.Add($"GET {path}?{parameter} = {label}: {status}");
                        }
                    }
                }
            }
        }

        Assert.True(sent > 50, $"only {sent} requests sent");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} hostile queries:\n" + string.Join("\n", failures));
    }

    /// <summary>A client of a role allowed on the endpoint, inside the jurisdiction of <see cref="Place"/>.</summary>
    private static async Task<HttpClient> ClientForAsync(SojournAppFactory factory, string key)
    {
        string[] preference = [Roles.Officer, Roles.StationChief, Roles.Administrator, Roles.Collector, Roles.Migrant, Roles.Reporter, Roles.Analyst];
        var allowed = AccessTests.AllowedRoles(key);
        var role = allowed is null ? Roles.Officer : preference.FirstOrDefault(allowed.Contains) ?? allowed[0];
        return role is Roles.Migrant or Roles.Reporter
            ? await factory.ClientAsAsync(role, "", "")
            : await factory.LongClientAsync(role, Place.Division, Place.StationCode);
    }

    /// <summary>
    /// The request path with its route values filled with records that exist (a fresh registration or permit per
    /// endpoint, so one endpoint's accepted write cannot spoil another's), and a sample body that would work.
    /// </summary>
    private static async Task<(string Path, JsonObject Sample)> TargetAsync(SojournAppFactory factory, string key, string route)
    {
        using var officer = await factory.LongClientAsync(Roles.Officer, Place.Division, Place.StationCode);
        var idNumber = TestData.NewIdNumber();
        JsonObject? sample = AccessTests.SampleBody(key, idNumber) is { } known ? JsonSerializerNode(known) : null;
        var id = "";
        if (route.StartsWith("/api/v1/registrations/{id", StringComparison.Ordinal))
        {
            factory.Clock.Reset();
            var declared = await officer.PostAsJsonAsync("/api/v1/registrations", TestData.Declaration());
            await PermitScenario.Ensure(declared, System.Net.HttpStatusCode.Created);
            id = (string)(await declared.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        }
        else if (route.StartsWith("/api/v1/permits/{id", StringComparison.Ordinal))
        {
            var permit = key is "ApprovePermit" or "RefusePermit"
                ? await factory.AppliedAsync(officer, Place)
                : await factory.IssuedAsync(officer, Place);
            id = (string)permit["id"]!;
            sample ??= new JsonObject { ["version"] = (int)permit["version"]! };
        }
        else if (key == "POST /api/v1/policy/evaluate")
        {
            sample = EvaluateCase();
        }
        else if (key == "ApplyForPermit")
        {
            var (registrationId, _) = await factory.RegisteredAsync(officer, Place, ApplyFlow.RegisteredLongAgo);
            factory.Clock.SetToday(ApplyFlow.ApplyDay);
            sample = ApplyFlow.Application(registrationId, Place, ApplyFlow.ApplyDay);
        }

        var path = route.Replace("{id:guid}", id, StringComparison.Ordinal)
            .Replace("{tokenId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("{accountId}", "no-such-account", StringComparison.Ordinal)
            .Replace("{code}", Place.Division, StringComparison.Ordinal);
        return (path, sample ?? []);
    }

    /// <summary>The worked example of docs/policy-evaluation.md.</summary>
    private static JsonObject EvaluateCase() => JsonNode.Parse("""
        {
          "policy": "shanxi-2017", "asOf": "2026-04-01",
          "person": { "birthDate": "1990-03-07", "sex": "female", "category": "mainland", "hukouDivision": "370102", "maritalStatus": "married" },
          "stay": { "residenceDivision": "140105", "arrivedOn": "2026-03-02", "intendedDays": 365, "purpose": "work", "lodging": "rental", "remoteArea": false },
          "facts": { "registeredOn": "2026-03-10", "socialInsuranceMonths": 4, "laborContractMonths": 12, "rentalContract": true }
        }
        """)!.AsObject();

    private static JsonObject JsonSerializerNode(object body) =>
        body as JsonObject ?? System.Text.Json.JsonSerializer.SerializeToNode(body)!.AsObject();

    /// <summary>The request body's schema in the OpenAPI document, $refs resolved, or null.</summary>
    private static JsonNode? RequestSchema(JsonNode document, string route, string method)
    {
        var template = string.Concat(route.Split('/').Select((s, i) => (i == 0 ? "" : "/") +
            (s.StartsWith('{') ? "{" + s.Trim('{', '}').Split(':')[0].TrimStart('*').TrimEnd('?') + "}" : s)));
        var operation = document["paths"]?[template]?[method.ToLowerInvariant()];
        return Resolve(document, operation?["requestBody"]?["content"]?["application/json"]?["schema"]);
    }

    private static JsonNode? Resolve(JsonNode document, JsonNode? schema)
    {
        for (var i = 0; i < 10 && schema?["$ref"] is { } reference; i++)
        {
            schema = document["components"]?["schemas"]?[((string)reference!).Split('/')[^1]];
        }

        return schema;
    }

    /// <summary>Paths of every leaf in the sample, and of every property the schema declares that the sample lacks.</summary>
    private static IEnumerable<(string Path, JsonNode? Schema, JsonNode? Sample)> Leaves(JsonNode? sample, JsonNode? schema, JsonNode document, string prefix)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (sample is JsonObject obj)
        {
            foreach (var (name, child) in obj)
            {
                seen.Add(name);
                var childSchema = Resolve(document, schema?["properties"]?[name]);
                foreach (var leaf in Leaves(child, childSchema, document, prefix + "/" + name))
                {
                    yield return leaf;
                }
            }
        }
        else if (sample is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                foreach (var leaf in Leaves(array[i], Resolve(document, schema?["items"]), document, prefix + "/" + i))
                {
                    yield return leaf;
                }
            }

            if (array.Count == 0)
            {
                yield return (prefix + "/0", Resolve(document, schema?["items"]), null);
            }
        }
        else
        {
            yield return (prefix, schema, sample);
        }

        if (sample is JsonObject or null && schema?["properties"] is JsonObject properties)
        {
            foreach (var (name, property) in properties)
            {
                if (!seen.Contains(name))
                {
                    yield return (prefix + "/" + name, Resolve(document, property), null);
                }
            }
        }
    }

    private static bool HasType(JsonNode? schema, string type) => schema?["type"] switch
    {
        JsonValue one => (string?)one == type,
        JsonArray many => many.Any(t => (string?)t == type),
        _ => false,
    };

    /// <summary>A date or date-time field: by its schema's format, or a sample value that reads as a date.</summary>
    private static bool IsDate(JsonNode? schema, JsonNode? sample) =>
        (string?)schema?["format"] is "date" or "date-time"
        || (sample is JsonValue value && value.TryGetValue<string>(out var text) && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _)
            && text.Length >= 10 && text[4] == '-');

    /// <summary>Sets the value at a leaf path, creating the objects and arrays on the way.</summary>
    private static void Set(JsonObject body, string path, JsonNode? value)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        JsonNode current = body;
        for (var i = 0; i < parts.Length; i++)
        {
            var last = i == parts.Length - 1;
            if (current is JsonArray array && int.TryParse(parts[i], out var index))
            {
                while (array.Count <= index)
                {
                    array.Add(null);
                }

                if (last)
                {
                    array[index] = value;
                    return;
                }

                current = array[index] ??= int.TryParse(parts[i + 1], out _) ? new JsonArray() : new JsonObject();
            }
            else
            {
                var obj = current as JsonObject ?? throw new InvalidOperationException($"{path}: {parts[i]} is not in an object");
                if (last)
                {
                    obj[parts[i]] = value;
                    return;
                }

                if (obj[parts[i]] is not (JsonObject or JsonArray))
                {
                    obj[parts[i]] = int.TryParse(parts[i + 1], out _) ? new JsonArray() : new JsonObject();
                }

                current = obj[parts[i]]!;
            }
        }
    }

    /// <summary>Row counts of the tables a write changes (the audit log and verification log record refusals too, so they are left out).</summary>
    private static async Task<string> SnapshotAsync(SojournAppFactory factory)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        long[] counts =
        [
            await db.Users.LongCountAsync(), await db.ApiTokens.LongCountAsync(), await db.Registrations.LongCountAsync(),
            await db.RegistrationVersions.LongCountAsync(), await db.RegistrationPhotos.LongCountAsync(), await db.Permits.LongCountAsync(),
            await db.PermitEvents.LongCountAsync(), await db.IssuerKeys.LongCountAsync(), await db.StatusLists.LongCountAsync(),
            await db.IssuedCredentials.LongCountAsync(), await db.PermitReminders.LongCountAsync(), await db.SmsOutbox.LongCountAsync(),
        ];
        return string.Join(",", counts);
    }
}

public sealed class SqliteFuzzTests(SqliteAppFixture fixture)
    : FuzzTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresFuzzTests(PostgresAppFixture fixture)
    : FuzzTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
