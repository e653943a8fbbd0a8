using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Sojourn.Rules.Evaluation;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Policy;

/// <summary>
/// <c>POST /api/v1/policy/evaluate</c>: the rules engine over HTTP, same body and answer as
/// <c>sojourn policy evaluate</c> (docs/policy-evaluation.md). A rejected case is a 400
/// ProblemDetails with the zh-CN message in <c>detail</c> and the offending <c>field</c>.
/// </summary>
internal static class PolicyApi
{
    /// <summary>The rate-limit policy of the anonymous evaluate endpoint (per client address).</summary>
    public const string EvaluateLimit = "policy-evaluate";

    /// <summary>Limits of the anonymous endpoint (<c>Sojourn:Policy</c>) and its rate limiter.</summary>
    public static IServiceCollection AddPolicy(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Sojourn:Policy");
        services.Configure<PolicyApiOptions>(section);
        var limits = section.Get<PolicyApiOptions>() ?? new PolicyApiOptions();
        // Anyone may call it, so CPU per caller is bounded: requests per minute here, cases per request below.
        services.AddRateLimiter(o => o.AddPolicy(EvaluateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.EvaluationsPerMinute, Window = TimeSpan.FromMinutes(1) })));
        // One evaluation service for the endpoint and the policy pages (a parser per scope: it is not shared across threads).
        services.AddSingleton(PolicyBrowser.Default);
        services.AddScoped(sp => new PolicyService(Evaluator.Default, sp.GetRequiredService<TimeProvider>()));
        services.AddScoped<PolicyQueries>();
        return services;
    }

    /// <summary>Maps the policy endpoints.</summary>
    public static IEndpointRouteBuilder MapPolicy(this IEndpointRouteBuilder app)
    {
        // Open to other systems as the contract is written: evaluation reads no stored record and
        // keeps nothing of the case, so it needs no account (and is never audited as a read).
        var group = app.MapGroup("/api/v1/policy").WithTags("Policy").AllowAnonymous();
        group.MapPost("/evaluate", EvaluateAsync)
            .NotReplayed()
            .RequireRateLimiting(EvaluateLimit)
            .Accepts<JsonElement>("application/json")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("按政策评估一个或一组案例（义务、期限、居住证资格、罚则、权益）");
        return app;
    }

    private static async Task<IResult> EvaluateAsync(
        HttpRequest request, PolicyService service, IOptions<PolicyApiOptions> options, CancellationToken ct)
    {
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            return ApiProblems.Result(ErrorCode.MalformedRequest, $"请求体不是有效的 JSON：{e.Message}");
        }

        using (doc)
        {
            var max = options.Value.MaxCasesPerRequest;
            if (doc.RootElement.ValueKind == JsonValueKind.Array && doc.RootElement.GetArrayLength() > max)
            {
                return ApiProblems.Result(ErrorCode.TooManyCases, Messages.Format("Error_TooManyCases_Detail", max));
            }

            using var buffer = new MemoryStream();
            var errors = new List<CaseError>();
            await using (var w = new Utf8JsonWriter(buffer, ResultWriter.Options))
            {
                if (doc.RootElement.ValueKind == JsonValueKind.Array)
                {
                    w.WriteStartArray();
                    foreach (var item in doc.RootElement.EnumerateArray())
                    {
                        Write(service, item, w, errors);
                    }

                    w.WriteEndArray();
                }
                else
                {
                    Write(service, doc.RootElement, w, errors);
                }
            }

            if (errors.Count == 0)
            {
                return Results.Bytes(buffer.ToArray(), "application/json; charset=utf-8");
            }

            var first = errors[0];
            var problem = ApiProblems.Create(ErrorCode.ValidationFailed, first.Message,
                errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));
            problem.Extensions["field"] = first.Field;
            if (doc.RootElement.ValueKind == JsonValueKind.Array)
            {
                // The other cases were still evaluated: their answers (and each error) in order.
                problem.Extensions["results"] = JsonDocument.Parse(buffer.ToArray()).RootElement.Clone();
            }

            return TypedResults.Problem(problem);
        }
    }

    private static void Write(PolicyService service, JsonElement item, Utf8JsonWriter w, List<CaseError> errors)
    {
        var (result, error) = service.EvaluateOne(item);
        if (error is not null)
        {
            errors.Add(error);
            ResultWriter.WriteError(w, error);
        }
        else
        {
            ResultWriter.Write(w, result!);
        }
    }
}

/// <summary>Limits of the anonymous evaluate endpoint (not legal values): <c>Sojourn:Policy</c>.</summary>
internal sealed class PolicyApiOptions
{
    /// <summary>Evaluate requests per client address per minute.</summary>
    public int EvaluationsPerMinute { get; set; } = 60;

    /// <summary>Cases in one request (an array body); more is a 413.</summary>
    public int MaxCasesPerRequest { get; set; } = 1000;
}
