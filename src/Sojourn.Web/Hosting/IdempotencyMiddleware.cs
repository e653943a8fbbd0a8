using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Sojourn.Data;
using Sojourn.Data.Idempotency;
using Sojourn.Data.Security;

namespace Sojourn.Web.Hosting;

/// <summary>
/// Honours <c>Idempotency-Key</c> on POSTs under /api: the first response is stored and a repeat with
/// the same key and body gets it again (same status and body, header <c>Idempotent-Replayed: true</c>);
/// the same key with another body or path is 422. The key is reserved before the request runs, so two
/// concurrent repeats cannot both execute. Responses of 5xx are not kept (the client may retry).
/// <para>
/// POSTs that only read (searches, verification, evaluation, sign-in) are never kept: a repeat runs again,
/// so it is checked, purpose-tested and audited like any read. A write's answer is stamped on its key inside
/// the write's own transaction (<see cref="StampAsync"/>), so a crash after the commit cannot leave the key
/// "in progress"; a reservation with no answer after <c>Sojourn:Idempotency:InProgressStaleSeconds</c> is a
/// request that died before committing and is replaced. Kept bodies are SM4-encrypted with the identity
/// protector and expire after <c>Sojourn:Idempotency:RetentionHours</c> (deleted on later writes).
/// </para>
/// </summary>
internal sealed class IdempotencyMiddleware(
    RequestDelegate next, IServiceScopeFactory scopes, TimeProvider time, IdentityProtector protector, IConfiguration configuration)
{
    public const string HeaderName = "Idempotency-Key";

    /// <summary>HttpContext item holding the stored key of the running request (for <see cref="StampAsync"/>).</summary>
    public const string ItemKey = "sojourn:idempotency-key";

    private const int MaxKeyLength = 200;

    /// <summary>Marks an encrypted body; bodies kept before encryption are plain JSON and expire with the rest.</summary>
    private static readonly byte[] EncryptedMark = "enc:"u8.ToArray();

    private readonly TimeSpan _retention = TimeSpan.FromHours(Math.Max(1, configuration.GetValue("Sojourn:Idempotency:RetentionHours", 24)));
    private readonly TimeSpan _staleAfter = TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Sojourn:Idempotency:InProgressStaleSeconds", 120)));
    private long _lastSweepTicks;

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!HttpMethods.IsPost(context.Request.Method)
            || !context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || !context.Request.Headers.TryGetValue(HeaderName, out var values)
            || context.GetEndpoint()?.Metadata.GetMetadata<NotReplayedMetadata>() is not null)
        {
            await next(context);
            return;
        }

        var key = values.ToString().Trim();
        if (key.Length is 0 or > MaxKeyLength)
        {
            await WriteProblemAsync(context, ApiProblems.Create(
                ErrorCode.ValidationFailed,
                Messages.Get("Error_ValidationFailed_Detail"),
                new Dictionary<string, string[]> { [HeaderName] = [Messages.Get("Idempotency_KeyInvalid")] }));
            return;
        }

        // Keys are per account: another account reusing a key must never receive the first one's response.
        // The account id is prefixed; a key too long to fit beside it is stored as its SHA-256.
        var account = Access.SojournClaims.AccountId(context.User) + "|";
        key = account + (account.Length + key.Length > MaxKeyLength
            ? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))
            : key);
        var hash = await HashRequestAsync(context.Request);
        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
            var now = time.GetUtcNow().UtcDateTime;
            await SweepAsync(db, now);
            var existing = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Key == key, context.RequestAborted);
            if (existing is not null && IsDead(existing, now))
            {
                // Expired, or reserved by a request that died before its write committed (a committed write
                // stamps its answer in its own transaction): run again. Only this reservation is removed.
                var createdAt = existing.CreatedAt;
                await db.IdempotencyRecords.Where(r => r.Key == key && r.CreatedAt == createdAt && r.StatusCode == existing.StatusCode)
                    .ExecuteDeleteAsync(context.RequestAborted);
                existing = null;
            }

            if (existing is null)
            {
                db.IdempotencyRecords.Add(new IdempotencyRecord { Key = key, RequestHash = hash, CreatedAt = now });
                try
                {
                    await db.SaveChangesAsync(context.RequestAborted);
                }
                catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
                {
                    existing = await db.IdempotencyRecords.AsNoTracking().FirstAsync(r => r.Key == key, context.RequestAborted);
                }
            }

            if (existing is not null)
            {
                await ReplayAsync(context, existing, hash);
                return;
            }
        }

        context.Items[ItemKey] = key;
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        var completed = false;
        try
        {
            await next(context);
            completed = true;
        }
        finally
        {
            context.Response.Body = original;
            await StoreAsync(key, context, buffer.ToArray(), completed && context.Response.StatusCode < 500);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private async Task StoreAsync(string key, HttpContext context, byte[] body, bool keep)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var record = await db.IdempotencyRecords.FirstOrDefaultAsync(r => r.Key == key, CancellationToken.None);
        if (record is null)
        {
            return;
        }

        if (!keep)
        {
            // A write that committed stamped its answer: that answer stands, whatever failed afterwards.
            if (record.StatusCode != 0)
            {
                return;
            }

            db.IdempotencyRecords.Remove(record);
        }
        else
        {
            record.StatusCode = context.Response.StatusCode;
            record.ContentType = context.Response.ContentType;
            record.Location = context.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null;
            record.ETag = context.Response.Headers.ETag.ToString() is { Length: > 0 } t ? t : null;
            record.Body = Seal(protector, body);
        }

        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>
    /// Records a write's answer on its idempotency key inside the write's own transaction (call just before
    /// the commit, on the context that carries it), so the key and the write commit together: a retry after a
    /// crash between the commit and the response gets this answer. No-op without a key.
    /// </summary>
    public static async Task StampAsync(
        HttpContext http, SojournDbContext db, object? result, System.Text.Json.JsonSerializerOptions json,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(db);
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }

        // JSON answers (and empty ones) only; anything else is kept by the middleware after the response.
        var value = (result as IValueHttpResult)?.Value;
        if (http.Items[ItemKey] is not string key || result is not IStatusCodeHttpResult { StatusCode: { } statusCode }
            || value is string or byte[] || (value is null && result is IContentTypeHttpResult))
        {
            return;
        }

        var body = value is null ? [] : System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), json);
        var sealedBody = Seal(http.RequestServices.GetRequiredService<IdentityProtector>(), body);
        // Created results set Location when they execute, after this; read it from the result then.
        var location = http.Response.Headers.Location.ToString() is { Length: > 0 } l ? l
            : result.GetType().GetProperty("Location")?.GetValue(result) as string;
        var etag = http.Response.Headers.ETag.ToString() is { Length: > 0 } t ? t : null;
        string? contentType = value is null ? null : "application/json; charset=utf-8";
        await db.IdempotencyRecords.Where(r => r.Key == key).ExecuteUpdateAsync(
            u => u.SetProperty(r => r.StatusCode, statusCode)
                .SetProperty(r => r.ContentType, contentType)
                .SetProperty(r => r.Location, location)
                .SetProperty(r => r.ETag, etag)
                .SetProperty(r => r.Body, sealedBody),
            cancellationToken);
    }

    private bool IsDead(IdempotencyRecord record, DateTime now) =>
        record.StatusCode == 0 ? record.CreatedAt < now - _staleAfter : record.CreatedAt < now - _retention;

    /// <summary>Deletes expired records, at most once a minute per app (CreatedAt is indexed).</summary>
    private async Task SweepAsync(SojournDbContext db, DateTime now)
    {
        var last = Interlocked.Read(ref _lastSweepTicks);
        if (Math.Abs(now.Ticks - last) < TimeSpan.TicksPerMinute
            || Interlocked.CompareExchange(ref _lastSweepTicks, now.Ticks, last) != last)
        {
            return;
        }

        // Answers expire after the retention; reservations older than that are dead requests too.
        var cutoff = now - _retention;
        await db.IdempotencyRecords.Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync(CancellationToken.None);
    }

    /// <summary>A stored answer, encrypted like identity numbers (it may hold personal data); pages keep theirs the same way.</summary>
    internal static byte[] Seal(IdentityProtector protector, byte[] body) =>
        body.Length == 0 ? body : [.. EncryptedMark, .. Encoding.UTF8.GetBytes(protector.Encrypt(Convert.ToBase64String(body)))];

    internal static byte[] Open(IdentityProtector protector, byte[] stored) =>
        stored.AsSpan().StartsWith(EncryptedMark)
            ? Convert.FromBase64String(protector.Decrypt(Encoding.UTF8.GetString(stored, EncryptedMark.Length, stored.Length - EncryptedMark.Length)))
            : stored;

    private async Task ReplayAsync(HttpContext context, IdempotencyRecord record, string hash)
    {
        if (!string.Equals(record.RequestHash, hash, StringComparison.Ordinal))
        {
            await WriteProblemAsync(context, ApiProblems.Create(ErrorCode.IdempotencyKeyReused, Messages.Get("Idempotency_KeyReused_Detail")));
            return;
        }

        if (record.StatusCode == 0)
        {
            await WriteProblemAsync(context, ApiProblems.Create(ErrorCode.IdempotencyInProgress, Messages.Get("Idempotency_InProgress_Detail")));
            return;
        }

        context.Response.StatusCode = record.StatusCode;
        if (record.ContentType is not null)
        {
            context.Response.ContentType = record.ContentType;
        }

        if (record.Location is not null)
        {
            context.Response.Headers.Location = record.Location;
        }

        if (record.ETag is not null)
        {
            context.Response.Headers.ETag = record.ETag;
        }

        context.Response.Headers["Idempotent-Replayed"] = "true";
        if (record.Body is { Length: > 0 })
        {
            await context.Response.Body.WriteAsync(Open(protector, record.Body), context.RequestAborted);
        }
    }

    private static async Task<string> HashRequestAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            sha.AppendData(chunk, 0, read);
        }

        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static async Task WriteProblemAsync(HttpContext context, Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await service.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}

/// <summary>Marks a POST that discloses or checks without changing anything: its answers are never stored for replay.</summary>
internal sealed class NotReplayedMetadata
{
    public static readonly NotReplayedMetadata Instance = new();

    private NotReplayedMetadata()
    {
    }
}

internal static class NotReplayedExtensions
{
    /// <summary>
    /// A POST that only reads (a search, a verification, an evaluation, sign-in): a repeat with the same
    /// <c>Idempotency-Key</c> runs again, so it is checked, purpose-tested and audited like any read.
    /// </summary>
    public static TBuilder NotReplayed<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(NotReplayedMetadata.Instance);
}
