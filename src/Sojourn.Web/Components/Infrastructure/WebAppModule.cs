using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using MudBlazor.Services;

namespace Sojourn.Web.Components.Infrastructure;

/// <summary>
/// The web application people work in (Blazor, interactive on the server; docs/adr/0007-web-application.md): its
/// components, the circuit's sign-in checked every minute, the purpose stated per task and the page-to-use-case path.
/// </summary>
internal static class WebAppModule
{
    public static IServiceCollection AddWebApplication(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidation>();
        services.AddScoped<PurposeState>();
        services.AddScoped<CircuitAddress>();
        services.AddScoped<CircuitHandler, CircuitAddressHandler>();
        services.AddScoped<PageActions>();
        return services;
    }

    public static WebApplication MapWebApplication(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapStaticAssets();
        // The pages' CJK font is the one the PDFs embed (Noto Sans SC, SIL OFL 1.1): a fresh server or phone may have
        // none. Served from the Documents assembly, cached for a year (the name carries the assembly version).
        app.MapGet("/fonts/{name}", (string name) =>
            name is "NotoSansSC-Regular.ttf" or "NotoSansHK-Extra.ttf" or "NotoSansJP-Extra.ttf"
            && typeof(Documents.PdfRenderer).Assembly.GetManifestResourceStream("Sojourn.Documents.Fonts." + name) is { } font
                ? Results.Stream(font, "font/ttf")
                : Results.NotFound())
            .ExcludeFromDescription()
            .AddEndpointFilter(async (context, next) =>
            {
                context.HttpContext.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                return await next(context);
            });
        // The host's own policy (frame-ancestors 'none', AccessModule.UseAccess) is stricter than Blazor's 'self'.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }
}
