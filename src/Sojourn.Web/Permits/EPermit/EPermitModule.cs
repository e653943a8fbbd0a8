using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Sojourn.Web.Permits.EPermit;

/// <summary>The e-permit (docs/adr/0002-e-permit-credential.md) inside the permit module.</summary>
internal static class EPermitModule
{
    public static IServiceCollection AddEPermit(this IServiceCollection services)
    {
        services.AddScoped<OnlineVerifier>();
        // The public page is anonymous: a per-address limit keeps it from being used to probe numbers.
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(EPermitEndpoints.PageLimit, http =>
            RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = http.RequestServices.GetRequiredService<IOptions<EPermitOptions>>().Value.PageChecksPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                })));
        services.AddPermitReminders();
        return services;
    }

    /// <summary>Credential under /api/v1/permits; verification, issuers and the /v/ page beside it.</summary>
    public static IEndpointRouteBuilder MapEPermit(this IEndpointRouteBuilder app, RouteGroupBuilder permits)
    {
        EPermitEndpoints.MapCredential(permits);
        PermitDocumentEndpoints.Map(permits);
        PermitReminders.Map(app, permits);
        EPermitEndpoints.Map(app);
        return app;
    }
}
