using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sojourn.Application.Actors;
using Sojourn.Application.Audit;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Idempotency;
using Sojourn.Data.Security;
using Sojourn.Web.Access;
using Sojourn.Web.Access.Audit;

namespace Sojourn.Web.Components.Infrastructure;

/// <summary>
/// How a page calls a use case: the same path as an HTTP endpoint, in process. Each call runs in a scope of its own
/// (a circuit lives for hours; a unit of work must not), as the signed-in account with the purpose stated for the task;
/// an official's read without a purpose is refused as the API refuses it; the personal data the use case declared is
/// audited through the same recorder, a write and its entries in one transaction; a submit key makes a double click
/// or a resubmitted form save once. Pages never inject a use case themselves.
/// </summary>
internal sealed class PageActions(
    IServiceScopeFactory scopes,
    AuthenticationStateProvider authentication,
    PurposeState purpose,
    CircuitAddress address,
    IOptions<JsonOptions> json,
    TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _writes = new(1, 1);

    /// <summary>The signed-in principal of this page (the circuit's, checked again every minute).</summary>
    public async Task<ClaimsPrincipal> UserAsync() => (await authentication.GetAuthenticationStateAsync()).User;

    /// <summary>Who acts from this page now: the account, the purpose stated for the task and the address.</summary>
    public async Task<ActorIdentity> ActorAsync() =>
        ClaimsActorSource.From(await UserAsync(), purpose.Current?.ToString(), address.Ip);

    /// <summary>
    /// A read. An official must have stated a purpose (<see cref="ErrorCode.PurposeMissing"/> otherwise, which a page
    /// answers by asking for one); the entries are durable before the data is returned.
    /// </summary>
    public async Task<Outcome<T>> ReadAsync<TCase, T>(
        string operation, Func<TCase, CurrentActor, CancellationToken, Task<Outcome<T>>> call, CancellationToken cancellationToken = default)
        where TCase : notnull
    {
        ArgumentNullException.ThrowIfNull(call);
        var actor = await ActorAsync();
        if (actor.Purpose is null && Roles.IsOfficial(actor.Role))
        {
            return new Failure(ErrorCode.PurposeMissing, Messages.Get("Page_PurposeNeeded"));
        }

        await using var scope = scopes.CreateAsyncScope();
        var current = Enter(scope.ServiceProvider, actor);
        var ledger = scope.ServiceProvider.GetRequiredService<PersonalDataLedger>();
        var outcome = await call(scope.ServiceProvider.GetRequiredService<TCase>(), current, cancellationToken);
        if (!outcome.Succeeded)
        {
            return outcome;
        }

        await scope.ServiceProvider.GetRequiredService<AuditRecorder>().RecordUsesAsync(actor, operation, ledger, cancellationToken);
        return outcome;
    }

    /// <summary>
    /// A write: the use case, its audit entries and the submit key commit together or not at all. The same
    /// <paramref name="submitKey"/> (one per form instance) returns the first answer instead of saving again.
    /// </summary>
    public async Task<Outcome<T>> WriteAsync<TCase, T>(
        string operation, string? submitKey, Func<TCase, CurrentActor, CancellationToken, Task<Outcome<T>>> call,
        CancellationToken cancellationToken = default)
        where TCase : notnull
    {
        ArgumentNullException.ThrowIfNull(call);
        var actor = await ActorAsync();
        // One write at a time from a page: a double click waits for the first and then finds its answer.
        await _writes.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var services = scope.ServiceProvider;
            var db = services.GetRequiredService<SojournDbContext>();
            var protector = services.GetRequiredService<IdentityProtector>();
            var key = submitKey is null ? null : "page|" + actor.AccountId + "|" + operation + "|" + submitKey;
            if (key is not null && await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Key == key, cancellationToken) is { Body: { } body })
            {
                return JsonSerializer.Deserialize<T>(Hosting.IdempotencyMiddleware.Open(protector, body), json.Value.SerializerOptions)!;
            }

            // The same unit of work as a job's or the CLI's: the use case, its entries and the submit key in one transaction.
            return await AuditedOperation.RunAsync(services, actor, operation, async (inScope, current, ct) =>
            {
                var outcome = await call(inScope.GetRequiredService<TCase>(), current, ct);
                if (key is not null && outcome.TryGetValue(out var value, out _))
                {
                    db.IdempotencyRecords.Add(new IdempotencyRecord
                    {
                        Key = key,
                        RequestHash = operation,
                        StatusCode = 200,
                        ContentType = "application/json",
                        Body = Hosting.IdempotencyMiddleware.Seal(protector, JsonSerializer.SerializeToUtf8Bytes(value, json.Value.SerializerOptions)),
                        CreatedAt = time.GetUtcNow().UtcDateTime,
                    });
                    await db.SaveChangesAsync(ct);
                }

                return outcome;
            }, cancellationToken);
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Something a page does that touches no person's data (a policy evaluation, the audit status).</summary>
    public async Task<T> RunAsync<TService, T>(Func<TService, CurrentActor, CancellationToken, Task<T>> call, CancellationToken cancellationToken = default)
        where TService : notnull
    {
        ArgumentNullException.ThrowIfNull(call);
        var actor = await ActorAsync();
        await using var scope = scopes.CreateAsyncScope();
        var current = Enter(scope.ServiceProvider, actor);
        return await call(scope.ServiceProvider.GetRequiredService<TService>(), current, cancellationToken);
    }

    public void Dispose() => _writes.Dispose();

    private static CurrentActor Enter(IServiceProvider services, ActorIdentity actor)
    {
        var current = services.GetRequiredService<CurrentActor>();
        current.Set(actor);
        return current;
    }
}

/// <summary>The browser's address for a circuit, captured from the request that opened the page (for audit entries).</summary>
internal sealed class CircuitAddress
{
    public string? Ip { get; set; }
}
