using Microsoft.Extensions.Configuration;

namespace Sojourn.Data.Security;

/// <summary>
/// The identity protector from configuration, the one place the web host and the CLI build it:
/// <c>Sojourn:Crypto:Sm4Key</c> (key "k1"), rotated keys <c>Sojourn:Crypto:Sm4Keys:{id}</c> with
/// <c>Sojourn:Crypto:Sm4ActiveKeyId</c>, and <c>Sojourn:Crypto:HmacKey</c> (env <c>Sojourn__Crypto__…</c>).
/// </summary>
public static class ProtectorConfiguration
{
    public static IdentityProtector FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var sm4 = configuration["Sojourn:Crypto:Sm4Key"];
        if (string.IsNullOrWhiteSpace(sm4))
        {
            throw new InvalidOperationException(
                "Sojourn:Crypto:Sm4Key is not set (32 hex digits; env Sojourn__Crypto__Sm4Key). "
                + "appsettings.Development.json has a development key; production keys come from the environment.");
        }

        // Old keys stay to decrypt; new versions are re-encrypted on write with the active one.
        var ring = configuration.GetSection("Sojourn:Crypto:Sm4Keys").GetChildren()
            .Where(c => !string.IsNullOrWhiteSpace(c.Value))
            .ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal);
        ring.TryAdd(IdentityProtector.DefaultKeyId, sm4);
        var active = configuration["Sojourn:Crypto:Sm4ActiveKeyId"] ?? IdentityProtector.DefaultKeyId;
        return IdentityProtector.FromHex(ring, active, configuration["Sojourn:Crypto:HmacKey"]);
    }
}
