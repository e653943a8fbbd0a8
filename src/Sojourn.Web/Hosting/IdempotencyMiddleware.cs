using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Sojourn.Data;
using Sojourn.Data.Idempotency;

namespace Sojourn.Web.Hosting;

/// <summary>
/// Honours <c>Idempotency-Key</c> on POSTs under /api: the first response is stored and a repeat with
/// the same key and body gets it again (same status and body, header <c>Idempotent-Replayed: true</c>);
/// the same key with another body or path is 422. The key is reserved before the request runs, so two
/// concurrent repeats cannot both execute. Responses of 5xx are not kept (the client may retry).
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IServiceScopeFactory scopes, TimeProvider time)
{
    public const string HeaderName = "Idempotency-Key";
    private const int MaxKeyLength = 200;

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!HttpMethods.IsPost(context.Request.Method)
            || !context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || !context.Request.Headers.TryGetValue(HeaderName, out var values))
        {
            await next(context);
            return;
        }

        var key = values.ToString().Trim();
        if (key.Length is 0 or > MaxKeyLength)
        {
            await WriteProblemAsync(context, ApiProblems.Create(
                ApiError.ValidationFailed,
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
            var existing = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Key == key, context.RequestAborted);
            if (existing is null)
            {
                db.IdempotencyRecords.Add(new IdempotencyRecord { Key = key, RequestHash = hash, CreatedAt = time.GetUtcNow().UtcDateTime });
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
        var record = await db.IdempotencyRecords.FirstAsync(r => r.Key == key, CancellationToken.None);
        if (!keep)
        {
            db.IdempotencyRecords.Remove(record);
        }
        else
        {
            record.StatusCode = context.Response.StatusCode;
            record.ContentType = context.Response.ContentType;
            record.Location = context.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null;
            record.ETag = context.Response.Headers.ETag.ToString() is { Length: > 0 } t ? t : null;
            record.Body = body;
        }

        await db.SaveChangesAsync(CancellationToken.None);
    }

    private static async Task ReplayAsync(HttpContext context, IdempotencyRecord record, string hash)
    {
        if (!string.Equals(record.RequestHash, hash, StringComparison.Ordinal))
        {
            await WriteProblemAsync(context, ApiProblems.Create(ApiError.IdempotencyKeyReused, Messages.Get("Idempotency_KeyReused_Detail")));
            return;
        }

        if (record.StatusCode == 0)
        {
            await WriteProblemAsync(context, ApiProblems.Create(ApiError.IdempotencyInProgress, Messages.Get("Idempotency_InProgress_Detail")));
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
            await context.Response.Body.WriteAsync(record.Body, context.RequestAborted);
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
