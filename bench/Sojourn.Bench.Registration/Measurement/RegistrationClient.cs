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
    private const string ActorHeader = "X-Sojourn-Actor";
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private readonly HttpClient _http;
    private int _reportedFailures;

    public RegistrationClient(Uri baseAddress, int concurrency)
    {
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
        using var message = new HttpRequestMessage(HttpMethod.Post, "api/v1/registrations");
        message.Content = new ByteArrayContent(request.Body);
        message.Content.Headers.ContentType = Json;
        message.Headers.Add(ActorHeader, request.Actor);
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
        using var response = await _http.GetAsync(new Uri($"api/v1/registrations/{id}", UriKind.Relative), HttpCompletionOption.ResponseContentRead, cancellationToken);
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
