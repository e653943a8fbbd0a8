using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Sojourn.Credentials;
using Sojourn.Rules.Evaluation;

namespace Sojourn.Cli.Commands;

/// <summary>
/// Reading what the user names on the command line, failing with a <see cref="CliException"/> that says
/// which file or option is wrong. Dates take the rules engine's bounds (<see cref="CaseParser.MinDate"/>,
/// <see cref="CaseParser.MaxDate"/>), the same the HTTP evaluate endpoint applies.
/// </summary>
internal static class CliInput
{
    public static string ReadText(string path, string what)
    {
        try
        {
            return path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            throw new CliException($"找不到{what}：{path}");
        }
        catch (DirectoryNotFoundException)
        {
            throw new CliException($"找不到{what}：{path}（目录不存在）");
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException($"没有权限读取{what}：{path}");
        }
        catch (IOException e)
        {
            throw new CliException($"无法读取{what} {path}：{e.Message}");
        }
    }

    public static byte[] ReadBytes(string path, string what)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"无法读取{what}：{path}");
        }
    }

    /// <summary>An issuer's key ring with private keys, for signing.</summary>
    public static IssuerKeyRing ReadSigningRing(string path)
    {
        var ring = Parse(path, "密钥环文件", IssuerKeyRing.FromJson);
        if (ring.Current is not { HasPrivateKey: true })
        {
            throw new CliException($"密钥环文件 {path} 不含当前签名密钥的私钥（公钥文件 *.pub.json 只能用于核验）；签发和更新状态列表须使用 keygen 写出的含私钥的密钥环。");
        }

        return ring;
    }

    /// <summary>Public keys of trusted issuers (a ring, a public ring, or the web host's /keys answer).</summary>
    public static TrustedIssuers ReadTrusted(string path) => Parse(path, "公钥文件", TrustedIssuers.FromJson);

    private static T Parse<T>(string path, string what, Func<string, T> parse)
    {
        var text = ReadText(path, what);
        try
        {
            return parse(text);
        }
        catch (JsonException)
        {
            throw new CliException($"{what} {path} 不是有效的 JSON。");
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or KeyNotFoundException or CryptographicException
                                  || e.GetType().Namespace?.StartsWith("Org.BouncyCastle", StringComparison.Ordinal) == true)
        {
            var detail = CliHost.HasChinese(e.Message) ? e.Message : "内容不是发证机关密钥环的格式";
            throw new CliException($"{what} {path} 无效：{detail}");
        }
    }

    /// <summary>A calendar date yyyy-MM-dd within the engine's bounds.</summary>
    public static DateOnly Date(string text, string option)
    {
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new CliException($"{option} 的日期格式应为 yyyy-MM-dd：{text}");
        }

        return InRange(date, option);
    }

    /// <summary>A date (noon China Standard Time) or an ISO 8601 instant, within the engine's bounds.</summary>
    public static DateTimeOffset Instant(string text, string option)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(InRange(day, option).ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(8));
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            throw new CliException($"{option} 无法识别的时间（应为 yyyy-MM-dd 或 ISO 8601）：{text}");
        }

        InRange(DateOnly.FromDateTime(instant.UtcDateTime), option);
        return instant;
    }

    private static DateOnly InRange(DateOnly date, string option) =>
        CaseParser.InRange(date)
            ? date
            : throw new CliException(string.Create(CultureInfo.InvariantCulture,
                $"{option} 超出可处理的日期范围（{CaseParser.MinDate:yyyy-MM-dd} 至 {CaseParser.MaxDate:yyyy-MM-dd}）：{date:yyyy-MM-dd}"));
}
