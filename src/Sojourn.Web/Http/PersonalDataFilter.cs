using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Sojourn.Application.PersonalData;
using Sojourn.Web.Access;
using Sojourn.Web.Access.Audit;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Http;

/// <summary>Which record a route's <c>{id}</c> names, for the basis of the purpose an official must state.</summary>
internal enum PersonalDataRoute
{
    Registration,
    Permit,
    Compliance,
}

/// <summary>
/// The one audit step of every endpoint that touches a named person's data, whatever the module: an official's read
/// must state a purpose; a write runs in one transaction with its audit entries and its idempotency answer; and the
/// audit entries are exactly what the use case declared in the <see cref="PersonalDataLedger"/> (whose data, which
/// fields). A failed call records nothing and, for a write, rolls back. Nothing here reads the response.
/// </summary>
internal sealed class PersonalDataFilter(AuditRecorder recorder, PersonalDataLedger ledger, IOptions<JsonOptions> json, PersonalDataRoute route)
    : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var operation = AccessModule.KeyOf(http.GetEndpoint()) ?? "unknown";
        var isRead = HttpMethods.IsGet(http.Request.Method) || http.GetEndpoint()?.Metadata.GetMetadata<NotReplayedMetadata>() is not null;
        if (await recorder.MissingPurposeAsync(http, isRead, route == PersonalDataRoute.Permit, http.RequestAborted) is { } noPurpose)
        {
            return noPurpose;
        }

        if (isRead)
        {
            // A read is disclosed only when the response is sent, after its audit entry is durable.
            var read = await next(context);
            if (OutcomeResults.IsFailure(read))
            {
                ledger.Clear();
                return read;
            }

            await recorder.RecordUsesAsync(http, operation, ledger, http.RequestAborted);
            return read;
        }

        // A write, its audit entries and its idempotency answer commit together or not at all (docs/adr/0003-access-and-audit.md).
        await using var transaction = await recorder.BeginAsync(http.RequestAborted);
        var written = await next(context);
        if (OutcomeResults.IsFailure(written))
        {
            ledger.Clear();
            return written; // disposing the uncommitted transaction rolls back
        }

        await recorder.RecordUsesAsync(http, operation, ledger, http.RequestAborted);
        await IdempotencyMiddleware.StampAsync(http, transaction.Db, written, json.Value.SerializerOptions, http.RequestAborted);
        await transaction.CommitAsync(http.RequestAborted);
        return written;
    }
}

/// <summary>Adds the <see cref="PersonalDataFilter"/> to a module's route group.</summary>
internal static class PersonalDataFilterExtensions
{
    public static RouteGroupBuilder WithPersonalDataAudit(this RouteGroupBuilder group, PersonalDataRoute route)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.AddEndpointFilter((context, next) =>
        {
            var services = context.HttpContext.RequestServices;
            var filter = new PersonalDataFilter(
                services.GetRequiredService<AuditRecorder>(), services.GetRequiredService<PersonalDataLedger>(),
                services.GetRequiredService<IOptions<JsonOptions>>(), route);
            return filter.InvokeAsync(context, next);
        });
        return group;
    }
}
