using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Audit;

namespace Sojourn.Web.Access;

/// <summary>
/// Writes audit entries for reads and writes of named persons. Inside an <see cref="AuditTransaction"/>
/// begun with <see cref="BeginAsync"/> the entries go into the operation's own transaction (request-scoped
/// context); inside a caller's open transaction they join it; otherwise they get a context and transaction
/// of their own.
/// </summary>
public sealed class AuditRecorder(IServiceScopeFactory scopes, SojournDbContext requestDb, TimeProvider time)
{
    public const string PurposeHeader = "X-Sojourn-Purpose";

    private AuditTransaction? _current;

    /// <summary>
    /// Opens the transaction that the operation's writes (through <see cref="SharedTransaction.BeginOrJoinAsync"/>)
    /// and its audit entries share. Commit it after recording; dispose without commit to roll both back.
    /// </summary>
    public async Task<AuditTransaction> BeginAsync(CancellationToken cancellationToken)
    {
        var transaction = await AuditTransaction.BeginAsync(requestDb, cancellationToken);
        _current = transaction;
        return transaction;
    }

    public async Task RecordAsync(
        HttpContext http, string operation, string action, IReadOnlyCollection<Guid> registrationIds, string fields,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(registrationIds);
        ArgumentNullException.ThrowIfNull(fields);
        if (registrationIds.Count == 0)
        {
            return;
        }

        var current = _current is { IsOpen: true } open ? open : null;
        var joins = current is not null || requestDb.Database.CurrentTransaction is not null;
        await using var scope = scopes.CreateAsyncScope();
        var db = joins ? requestDb : scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var ids = registrationIds.Distinct().ToList();
        var persons = await db.Registrations.IgnoreQueryFilters().AsNoTracking()
            .Where(r => ids.Contains(r.Id))
            .Select(r => new { r.Id, r.PersonIdHmac, r.ResidenceDivisionCode })
            .ToDictionaryAsync(r => r.Id, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var purpose = Purpose(http);
        var entries = ids.Select(id => new AuditEntry
        {
            At = now,
            AccountId = http.User.AccountId(),
            ActorRole = http.User.Role() ?? "",
            Office = http.User.FindFirst(SojournClaims.Office)?.Value ?? "",
            Action = action,
            Operation = operation,
            RegistrationId = id,
            PersonIdHmac = persons.TryGetValue(id, out var p) ? p.PersonIdHmac : null,
            ResidenceDivisionCode = p?.ResidenceDivisionCode,
            Fields = fields.Length > 400 ? fields[..400] : fields,
            Purpose = purpose,
            Ip = http.Connection.RemoteIpAddress?.ToString(),
            PrevHash = "",
            Hash = "",
        }).ToList();
        if (current is not null)
        {
            await current.AppendAsync(entries, cancellationToken);
        }
        else
        {
            await AuditChain.AppendAsync(db, entries, cancellationToken);
        }
    }

    /// <summary>
    /// An account action (create, lock, unlock, token revocation) is recorded like a read: who, when, from where,
    /// which account (in <c>Fields</c>, as <c>account:{id}</c>). Call inside <see cref="BeginAsync"/>'s transaction so
    /// the change and its entry commit together.
    /// </summary>
    public Task RecordAccountActionAsync(
        HttpContext http, string operation, string accountId, CancellationToken cancellationToken, SojournUser? actor = null) =>
        RecordAdministrationAsync(http, operation, "account:" + accountId, cancellationToken, actor);

    /// <summary>
    /// An administrative action on <paramref name="target"/> (<c>account:{id}</c>, <c>issuer:{code}</c>), by the signed-in
    /// caller or, for an anonymous step such as activation, by <paramref name="actor"/>.
    /// </summary>
    public async Task RecordAdministrationAsync(
        HttpContext http, string operation, string target, CancellationToken cancellationToken, SojournUser? actor = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        var entry = new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            AccountId = actor?.Id ?? http.User.AccountId(),
            ActorRole = actor?.Role ?? http.User.Role() ?? "",
            Office = actor?.Office ?? http.User.FindFirst(SojournClaims.Office)?.Value ?? "",
            Action = "account",
            Operation = operation,
            Fields = target,
            Purpose = Purpose(http),
            Ip = http.Connection.RemoteIpAddress?.ToString(),
            PrevHash = "",
            Hash = "",
        };
        if (_current is { IsOpen: true } open)
        {
            await open.AppendAsync([entry], cancellationToken);
        }
        else
        {
            await AuditChain.AppendAsync(requestDb, [entry], cancellationToken);
        }
    }

    public static string? Purpose(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var value = http.Request.Headers[PurposeHeader].ToString().Trim();
        return value.Length == 0 ? null : value.Length > 200 ? value[..200] : value;
    }

    /// <summary>
    /// Why an official must state a purpose: 个人信息保护法 第六条 (处理个人信息应当具有明确、合理的目的), with the duty of
    /// confidentiality of 居住证暂行条例 第十七条, which holds in every jurisdiction. Not 山西2017 第二十三条: it only
    /// requires confidentiality, and it is Shanxi's alone.
    /// </summary>
    public const string PurposeBasis = "个人信息保护法 第六条；居住证暂行条例 第十七条";

    /// <summary>
    /// An official reading a named person's data must state why (<see cref="PurposeBasis"/>): the 400 to return when
    /// the purpose header is missing, else null. Writes carry their purpose in the act itself.
    /// </summary>
    public static ProblemHttpResult? MissingPurpose(HttpContext http, bool isRead = true)
    {
        ArgumentNullException.ThrowIfNull(http);
        return isRead && Roles.IsOfficial(http.User.Role() ?? "") && Purpose(http) is null
            ? AccountApi.Problem(StatusCodes.Status400BadRequest, 30001,
                $"查阅个人信息须说明用途：请求头 {PurposeHeader}（{PurposeBasis}）")
            : null;
    }
}

/// <summary>
/// On every registration endpoint: requires a stated purpose for officials' reads, trims the response
/// to the caller's field view (Access/access.json), and records the access in the audit chain.
/// </summary>
public sealed class RegistrationAccessFilter(AccessPolicy policy, AuditRecorder recorder, IOptions<JsonOptions> json) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var operation = AccessModule.KeyOf(http.GetEndpoint()) ?? "unknown";
        var role = http.User.Role() ?? "";
        var action = operation switch
        {
            "SearchRegistrationsByIdNumber" => "search",
            "ListRegistrations" => "list",
            _ when HttpMethods.IsGet(http.Request.Method) => "read",
            _ => "write",
        };
        if (AuditRecorder.MissingPurpose(http, action != "write") is { } noPurpose)
        {
            return noPurpose;
        }

        if (action != "write")
        {
            // A read is disclosed only when the response is sent, after its audit entry is committed.
            return await InvokeCoreAsync(context, next, http, operation, action, role);
        }

        // A write and its audit entry commit together or not at all (docs/adr/0003-access-and-audit.md).
        await using var transaction = await recorder.BeginAsync(http.RequestAborted);
        var written = await InvokeCoreAsync(context, next, http, operation, action, role);
        if (written is not IStatusCodeHttpResult { StatusCode: >= 400 })
        {
            await transaction.CommitAsync(http.RequestAborted);
        }

        return written;
    }

    private async ValueTask<object?> InvokeCoreAsync(
        EndpointFilterInvocationContext context, EndpointFilterDelegate next, HttpContext http, string operation, string action, string role)
    {
        var result = await next(context);
        // Handlers return Results<A, B>; look at the result inside.
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }

        if (result is IStatusCodeHttpResult { StatusCode: >= 400 })
        {
            return result;
        }

        var ids = new HashSet<Guid>();
        if (http.Request.RouteValues.TryGetValue("id", out var routeId) && Guid.TryParse(routeId?.ToString(), out var rid))
        {
            ids.Add(rid);
        }

        var view = policy.ViewFor(role);
        string fields;
        object? response = result;
        if (result is IValueHttpResult { Value: { } value } and IStatusCodeHttpResult status && value is not string)
        {
            var node = JsonSerializer.SerializeToNode(value, value.GetType(), json.Value.SerializerOptions);
            Trim(node, view, Roles.IsOfficial(role), ids);
            if (result is Created<Registration.RegistrationDto> created && created.Location is { } location)
            {
                http.Response.Headers.Location = location;
            }

            response = TypedResults.Json(node, json.Value.SerializerOptions, statusCode: status.StatusCode ?? 200);
            fields = action == "write" ? WrittenFields(context.Arguments) : string.Join(',', view?.Fields ?? []);
        }
        else
        {
            fields = operation.Contains("Photo", StringComparison.Ordinal) ? "photo" : WrittenFields(context.Arguments);
        }

        await recorder.RecordAsync(http, operation, action, ids, fields, http.RequestAborted);
        return response;
    }

    /// <summary>Removes what the role's view does not show; collects the registrations in the response.</summary>
    private static void Trim(JsonNode? node, FieldView? view, bool official, HashSet<Guid> ids)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    Trim(item, view, official, ids);
                }

                break;
            case JsonObject obj:
                if (obj["record"] is JsonObject record)
                {
                    foreach (var key in record.Select(p => p.Key).ToList())
                    {
                        if (view is null || !view.Shows(key))
                        {
                            record.Remove(key);
                        }
                    }
                }

                // Summaries (lists, search) carry name and identity number at the top level.
                if (!obj.ContainsKey("record") && obj.ContainsKey("status"))
                {
                    foreach (var key in new[] { "name", "idNumber" })
                    {
                        if (obj.ContainsKey(key) && (view is null || !view.Shows(key)))
                        {
                            obj.Remove(key);
                        }
                    }
                }

                if (!official && obj.ContainsKey("recordedBy"))
                {
                    // Migrants and reporters see who acted by channel and office, not the officer's account.
                    obj.Remove("recordedBy");
                }

                if (obj["id"] is JsonValue v && v.TryGetValue<string>(out var text) && Guid.TryParse(text, out var id) && obj.ContainsKey("status"))
                {
                    ids.Add(id);
                }

                if (obj["items"] is JsonArray items)
                {
                    Trim(items, view, official, ids);
                }

                break;
        }
    }

    /// <summary>Names (never values) of the fields a write request carried.</summary>
    private static string WrittenFields(IList<object?> arguments)
    {
        var names = new List<string>();
        foreach (var argument in arguments)
        {
            if (argument is null || argument is HttpContext || argument.GetType().Namespace?.StartsWith("Sojourn.Web.Registration", StringComparison.Ordinal) != true
                || argument.GetType().Name.EndsWith("Context", StringComparison.Ordinal))
            {
                continue;
            }

            if (JsonSerializer.SerializeToNode(argument, argument.GetType()) is JsonObject obj)
            {
                foreach (var (key, value) in obj)
                {
                    if (value is JsonObject nested && key is "Changes")
                    {
                        names.AddRange(nested.Where(p => p.Value is not null).Select(p => "changes." + p.Key));
                    }
                    else if (value is not null)
                    {
                        names.Add(key);
                    }
                }
            }
        }

        return string.Join(',', names.Select(n => JsonNamingPolicy.CamelCase.ConvertName(n)));
    }
}
