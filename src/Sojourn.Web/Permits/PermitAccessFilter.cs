using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Web.Access;

namespace Sojourn.Web.Permits;

/// <summary>
/// On every permit endpoint: officials state a purpose to read (AuditRecorder.PurposeBasis, for the permit's residence division), and every read or
/// write of a named person's permit is recorded in the audit chain, in the operation's own transaction.
/// </summary>
public sealed class PermitAccessFilter(AuditRecorder recorder, SojournDbContext db, IOptions<JsonOptions> json) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var operation = AccessModule.KeyOf(http.GetEndpoint()) ?? "unknown";
        var role = http.User.Role() ?? "";
        var action = HttpMethods.IsGet(http.Request.Method) ? (operation.StartsWith("List", StringComparison.Ordinal) ? "list" : "read") : "write";
        if (await recorder.MissingPurposeAsync(http, action != "write", permitRoute: true, http.RequestAborted) is { } noPurpose)
        {
            return noPurpose;
        }

        // The step's writes (PermitContext.SaveAsync joins) and its audit entry commit together or not at all.
        await using var audit = await recorder.BeginAsync(http.RequestAborted);
        var result = await next(context);
        var inner = result;
        while (inner is INestedHttpResult nested)
        {
            inner = nested.Result;
        }

        if (inner is IStatusCodeHttpResult { StatusCode: >= 400 })
        {
            return result; // disposing the uncommitted transaction rolls back
        }

        var registrations = new HashSet<Guid>();
        if (inner is IValueHttpResult { Value: { } value } && value is not string and not byte[])
        {
            Collect(JsonSerializer.SerializeToNode(value, value.GetType(), json.Value.SerializerOptions), registrations);
        }

        if (registrations.Count == 0 && http.Request.RouteValues.TryGetValue("id", out var routeId)
            && Guid.TryParse(routeId?.ToString(), out var permitId))
        {
            var registrationId = await db.Permits.IgnoreQueryFilters().AsNoTracking()
                .Where(p => p.Id == permitId).Select(p => (Guid?)p.RegistrationId).FirstOrDefaultAsync(http.RequestAborted);
            if (registrationId is { } r)
            {
                registrations.Add(r);
            }
        }

        var fields = action == "write" ? "permit." + operation : "permit";
        await recorder.RecordAsync(http, operation, action, registrations, fields, http.RequestAborted);
        if (action == "write")
        {
            // The Idempotency-Key's answer commits with the write (kill -9 after the commit cannot orphan it).
            await Hosting.IdempotencyMiddleware.StampAsync(http, audit.Db, result, json.Value.SerializerOptions, http.RequestAborted);
        }

        await audit.CommitAsync(http.RequestAborted);
        return result;
    }

    /// <summary>Every <c>registrationId</c> in the response: the people whose data it discloses.</summary>
    private static void Collect(JsonNode? node, HashSet<Guid> ids)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, ids);
                }

                break;
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    if (key == "registrationId" && child is JsonValue v && v.TryGetValue<string>(out var s) && Guid.TryParse(s, out var id))
                    {
                        ids.Add(id);
                    }
                    else
                    {
                        Collect(child, ids);
                    }
                }

                break;
        }
    }
}
