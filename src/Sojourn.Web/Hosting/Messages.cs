using System.Globalization;
using System.Resources;

namespace Sojourn.Web.Hosting;

/// <summary>
/// User-facing text from Resources/Messages.resx (zh-CN, the neutral language) and
/// Messages.en.resx, in the request's UI culture (set by request localization from Accept-Language).
/// </summary>
public static class Messages
{
    private static readonly ResourceManager Resources =
        new("Sojourn.Web.Resources.Messages", typeof(Messages).Assembly);

    public static string Get(string key) =>
        Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    public static string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);
}
