using System.Globalization;
using System.Resources;

namespace Sojourn.Application;

/// <summary>
/// User-facing text from Resources/Messages.resx (Sojourn.Application) (zh-CN, the neutral language) and
/// Messages.en.resx, in the request's UI culture (set by request localization from Accept-Language).
/// </summary>
public static class Messages
{
    private static readonly ResourceManager Resources =
        new("Sojourn.Application.Resources.Messages", typeof(Messages).Assembly);

    public static string Get(string key) =>
        Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    public static string Format(string key, params object?[] args) =>
        string.Format(CultureInfo.CurrentCulture, Get(key), args);
}
