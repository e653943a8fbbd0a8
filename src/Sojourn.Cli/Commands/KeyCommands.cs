using System.CommandLine;
using Sojourn.Data.Security;

namespace Sojourn.Cli.Commands;

/// <summary>
/// <c>sojourn keys reencrypt</c>: after an SM4 key rotation, rewrites the identity-number ciphertexts still
/// under a retired key under the active one, in batches (exit 0 done, 1 some values could not be decrypted,
/// 2 usage error). Keys as the web host reads them: Sojourn__Crypto__Sm4Key (key k1),
/// Sojourn__Crypto__Sm4Keys__{id}, Sojourn__Crypto__Sm4ActiveKeyId, Sojourn__Crypto__HmacKey.
/// </summary>
public static class KeyCommands
{
    public static Command Create(TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var output = stdout ?? Console.Out;
        var errors = stderr ?? Console.Error;
        var database = new DatabaseOptions();
        var batch = new Option<int>("--batch-size") { Description = "每批改写的条数", DefaultValueFactory = _ => 500 };
        var reencrypt = new Command("reencrypt", "密钥轮换后，把仍由旧密钥加密的身份号码改用当前密钥加密（只换密钥，不改内容）") { batch };
        database.AddTo(reencrypt);
        reencrypt.SetAction(async (r, ct) =>
        {
            try
            {
                var protector = ProtectorFromEnvironment();
                await using var db = database.Open(r);
                var result = await CipherRotation.ReEncryptAsync(db, protector, Math.Max(1, r.GetValue(batch)), null, ct);
                var remaining = await CipherRotation.CountRemainingAsync(db, protector, ct);
                await output.WriteLineAsync(
                    $"已改用密钥 {protector.ActiveKeyId}：登记版本 {result.Versions} 条，随行子女 {result.Children} 条，居住证 {result.Permits} 条，短信与发证密钥 {result.Other} 条，共 {result.Batches} 批；仍未改写 {remaining} 条。");
                if (result.Failed > 0)
                {
                    await errors.WriteLineAsync($"{result.Failed} 条无法解密（密钥已不在密钥环中或数据损坏），未改写。");
                    return 1;
                }

                return 0;
            }
            catch (Exception e) when (e is CliException or ArgumentException or InvalidOperationException or FormatException
                                      or System.Data.Common.DbException)
            {
                var (message, code) = CliHost.Describe(e);
                await errors.WriteLineAsync("错误：" + message);
                return code;
            }
        });
        return new Command("keys", "SM4 密钥：轮换后重新加密") { reencrypt };
    }

    private static IdentityProtector ProtectorFromEnvironment()
    {
        const string prefix = "Sojourn__Crypto__Sm4Keys__";
        var ring = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string name && name.StartsWith(prefix, StringComparison.Ordinal) && variable.Value is string hex && hex.Length > 0)
            {
                ring[name[prefix.Length..]] = hex;
            }
        }

        if (Environment.GetEnvironmentVariable("Sojourn__Crypto__Sm4Key") is { Length: > 0 } k1)
        {
            ring.TryAdd(IdentityProtector.DefaultKeyId, k1);
        }

        if (ring.Count == 0)
        {
            throw new CliException("未设置 SM4 密钥：Sojourn__Crypto__Sm4Key 或 Sojourn__Crypto__Sm4Keys__{id}。");
        }

        var active = Environment.GetEnvironmentVariable("Sojourn__Crypto__Sm4ActiveKeyId") ?? IdentityProtector.DefaultKeyId;
        return FromHex(ring, active);
    }

    /// <summary>The protector, or a usage error naming what is wrong with the keys (not the keys themselves).</summary>
    internal static IdentityProtector FromHex(Dictionary<string, string> ring, string active)
    {
        if (!ring.ContainsKey(active))
        {
            throw new CliException($"Sojourn__Crypto__Sm4ActiveKeyId 指定的密钥 {active} 未设置。");
        }

        try
        {
            return IdentityProtector.FromHex(ring, active, Environment.GetEnvironmentVariable("Sojourn__Crypto__HmacKey"));
        }
        catch (Exception e) when (e is FormatException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            throw new CliException("SM4 或 HMAC 密钥无效：应为32位十六进制字符串（Sojourn__Crypto__Sm4Key、Sojourn__Crypto__Sm4Keys__{id}、Sojourn__Crypto__HmacKey）。");
        }
    }
}
