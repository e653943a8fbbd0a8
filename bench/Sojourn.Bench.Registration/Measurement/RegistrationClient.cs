using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Sojourn.Bench.Registration.Generation;

namespace Sojourn.Bench.Registration.Measurement;

/// <summary>
/// Talks to the registration API over real HTTP/1.1 on loopback. Request bodies are serialised before
/// the timed phase so the client spends as little CPU as possible on the shared cores.
/// </summary>
public sealed class RegistrationClient : IDisposable
{
    private const string PurposeHeader = "X-Sojourn-Purpose";
    /// <summary>A code of the purpose catalogue (Access/purposes.json): load figures are statistics.</summary>
    private const string Purpose = "statistics";
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private readonly HttpClient _http;
    private int _reportedFailures;

    private readonly string _path;

    /// <param name="path">The registrations resource: the app's, or the HTTP floor's <c>floor/registrations</c>.</param>
    public RegistrationClient(Uri baseAddress, int concurrency, string path = "api/v1/registrations")
    {
        _path = path;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>
    /// Onboards a community collector whose reach is the whole residence province as the platform requires
    /// (docs/adr/0005-account-separation-of-duties.md): the demo administrator requests it, the second demo
    /// administrator approves it, the bench activates it with both halves of the code; every later request carries
    /// that collector's bearer token and a purpose.
    /// </summary>
    public async Task SignInAsync(IReadOnlyList<string> divisions, CancellationToken cancellationToken)
    {
        var userName = "bench-collector-" + Guid.NewGuid().ToString("N")[..8];
        using var created = await AdminAsync("demo-admin", HttpMethod.Post, "api/v1/admin/accounts", new
        {
            userName,
            role = "collector",
            office = "基准测试",
            displayName = "基准测试协管员",
            divisions,
        }, cancellationToken);
        var id = created.RootElement.GetProperty("account").GetProperty("id").GetString()!;
        using var approved = await AdminAsync("demo-admin2", HttpMethod.Post, $"api/v1/admin/accounts/{id}/approve", null, cancellationToken);
        var code = created.RootElement.GetProperty("activationCodeFirstHalf").GetString()
            + approved.RootElement.GetProperty("activationCodeSecondHalf").GetString();
        using (var activated = await _http.PostAsync(
            new Uri("api/v1/auth/activate", UriKind.Relative), JsonContent(new { userName, activationCode = code, newPassword = DemoPassword }), cancellationToken))
        {
            await EnsureAsync(activated, "activate " + userName, cancellationToken);
        }

        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(userName, DemoPassword, cancellationToken));
        _http.DefaultRequestHeaders.Add(PurposeHeader, Purpose);
    }

    /// <summary>Uses the collector, bearer token and purpose another client signed in with (another app node
    /// of the same deployment: tokens live in the shared database).</summary>
    public void SignInAs(RegistrationClient signedIn)
    {
        ArgumentNullException.ThrowIfNull(signedIn);
        _http.DefaultRequestHeaders.Authorization = signedIn._http.DefaultRequestHeaders.Authorization;
        _http.DefaultRequestHeaders.Add(PurposeHeader, Purpose);
    }

    private async Task<JsonDocument> AdminAsync(string admin, HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(admin, DemoPassword, cancellationToken));
        if (body is not null)
        {
            request.Content = JsonContent(body);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        await EnsureAsync(response, $"{method} {path}", cancellationToken);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private const string DemoPassword = "Sojourn-Demo-2026";

    private async Task<string> TokenAsync(string userName, string password, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync(
            new Uri("api/v1/auth/sign-in", UriKind.Relative), JsonContent(new { userName, password }), cancellationToken);
        await EnsureAsync(response, "sign-in " + userName, cancellationToken);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return body.RootElement.GetProperty("token").GetString()!;
    }

    private static ByteArrayContent JsonContent(object value)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, JsonOptions.Lines));
        content.Headers.ContentType = Json;
        return content;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>A declaration ready to send: the JSON body and the actor header.</summary>
    public sealed record Prepared(byte[] Body, string Actor);

    public static Prepared Prepare(SyntheticPerson person)
    {
        ArgumentNullException.ThrowIfNull(person);
        return new Prepared(JsonSerializer.SerializeToUtf8Bytes(person, JsonOptions.Lines), person.Actor);
    }

    /// <summary>POST /api/v1/registrations; the new id, or <see cref="Guid.Empty"/> when not 201.</summary>
    public async Task<Guid> DeclareAsync(Prepared request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var message = new HttpRequestMessage(HttpMethod.Post, _path);
        message.Content = new ByteArrayContent(request.Body);
        message.Content.Headers.ContentType = Json;
        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            await ReportAsync("POST", response, cancellationToken);
            return Guid.Empty;
        }

        return RegistrationIds.FromLocation(response.Headers.Location);
    }

    /// <summary>GET /api/v1/registrations/{id}; true on 200.</summary>
    public async Task<bool> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri($"{_path}/{id}", UriKind.Relative), HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            await ReportAsync("GET", response, cancellationToken);
            return false;
        }

        return true;
    }

    // The first few failures are shown (problem details name fields, never the identity number).
    private async Task ReportAsync(string method, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _reportedFailures) > 3)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        await Console.Error.WriteLineAsync($"  {method} → {(int)response.StatusCode}: {(body.Length > 600 ? body[..600] : body)}");
    }

    public void Dispose() => _http.Dispose();
}
