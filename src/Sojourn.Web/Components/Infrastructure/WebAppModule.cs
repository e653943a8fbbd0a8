using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using MudBlazor.Services;

namespace Sojourn.Web.Components.Infrastructure;

/// <summary>
/// The web application people work in (Blazor, interactive on the server; docs/adr/0007-web-application.md): its
/// components, the circuit's sign-in checked every minute, the purpose stated per task and the page-to-use-case path.
/// </summary>
public static class WebAppModule
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
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
