namespace Sojourn.Web.Hosting;

/// <summary>
/// The address the app listens on when nobody chose one: http://localhost:5080. It is a default
/// only, so the standard switches still win: <c>--urls</c>, <c>ASPNETCORE_URLS</c>,
/// <c>ASPNETCORE_HTTP_PORTS</c>/<c>HTTPS_PORTS</c> and a <c>Kestrel:Endpoints</c> section.
/// (Pinning Kestrel:Endpoints in appsettings.json would override all of them.)
/// </summary>
internal static class DefaultAddress
{
    public const string Url = "http://localhost:5080";

    public static void UseUnlessConfigured(WebApplicationBuilder builder)
    {
        var c = builder.Configuration;
        var chosen = !string.IsNullOrWhiteSpace(c["urls"]) || !string.IsNullOrWhiteSpace(c["http_ports"]) ||
                     !string.IsNullOrWhiteSpace(c["https_ports"]) || c.GetSection("Kestrel:Endpoints").Exists();
        if (!chosen)
        {
            builder.WebHost.UseUrls(Url);
        }
    }
}
