using System.CommandLine;
using Sojourn.Data.Audit;

namespace Sojourn.Cli.Commands;

/// <summary>
/// <c>sojourn audit verify [--checkpoint FILE]</c>: walks the SM3 hash chain of the audit log in the configured
/// database and names the first altered, removed or reordered entry; with a checkpoint file kept outside the
/// database, also the first entry missing from the tail (exit 0 intact, 1 tampered, 2 usage error).
/// <c>sojourn audit checkpoint [--out FILE]</c>: prints (or appends to FILE) the chain's head as one JSON line,
/// signed with HMAC-SM3 when Sojourn__Audit__CheckpointKey is set.
/// The database is chosen as the web host chooses it: Sojourn__Database__Provider and ConnectionStrings__Sojourn.
/// </summary>
public static class AuditCommands
{
    public const string KeyVariable = "Sojourn__Audit__CheckpointKey";

    public static Command Create(TextWriter? stdout = null, TextWriter? stderr = null, TimeProvider? time = null)
    {
        var output = stdout ?? Console.Out;
        var errors = stderr ?? Console.Error;
        var clock = time ?? TimeProvider.System;
        var database = new DatabaseOptions();

        var checkpointFile = new Option<FileInfo?>("--checkpoint")
        {
            Description = "库外保存的检查点文件（sojourn audit checkpoint 的输出）：校验尾部记录未被删除",
        };
        var verify = new Command("verify", "校验审计记录的 SM3 哈希链，指出第一条被改动、删除或调换的记录") { checkpointFile };
        database.AddTo(verify);
        verify.SetAction((r, ct) => RunAsync(errors, async () =>
        {
            await using var db = database.Open(r);
            var file = r.GetValue(checkpointFile);
            AuditVerification result;
            if (file is null)
            {
                result = await AuditChain.VerifyAsync(db, ct);
            }
            else
            {
                var checkpoints = AuditCheckpoint.ParseFile(CliInput.ReadText(file.FullName, "检查点文件"));
                var key = CheckpointKey();
                if (key is null && checkpoints.Any(c => c.Mac is not null))
                {
                    await errors.WriteLineAsync($"注意：未设置 {KeyVariable}，检查点签名未核验。");
                }

                result = await AuditCheckpoint.VerifyAsync(db, checkpoints, key, ct);
            }

            if (result.Intact)
            {
                await output.WriteLineAsync(file is null
                    ? $"审计链完整：共 {result.Checked} 条。"
                    : $"审计链完整：共 {result.Checked} 条，与检查点一致。");
                return 0;
            }

            await errors.WriteLineAsync($"审计链被篡改：{result.Problem}（此前 {result.Checked} 条完好）");
            return 1;
        }));

        var outFile = new Option<FileInfo?>("--out")
        {
            Description = "把检查点追加到此文件（应保存在数据库之外，由监督人员保管）；不给则打印",
        };
        var checkpoint = new Command("checkpoint", "输出审计链的链头（序号、哈希、时间），一行 JSON，供库外保存") { outFile };
        database.AddTo(checkpoint);
        checkpoint.SetAction((r, ct) => RunAsync(errors, async () =>
        {
            await using var db = database.Open(r);
            var head = await AuditChain.HeadAsync(db, ct) ?? new AuditHead(0, AuditChain.Genesis, DateTime.UnixEpoch);
            var key = CheckpointKey();
            var line = AuditCheckpoint.Create(head, clock.GetUtcNow().UtcDateTime, key).ToJsonLine();
            if (r.GetValue(outFile) is { } file)
            {
                await File.AppendAllTextAsync(file.FullName, line + "\n", ct);
                await output.WriteLineAsync($"检查点已写入 {file.FullName}：第 {head.Seq} 条{(key is null ? "（未签名）" : "")}");
            }
            else
            {
                await output.WriteLineAsync(line);
            }

            return 0;
        }));

        return new Command("audit", "审计记录：校验哈希链、输出检查点") { verify, checkpoint };
    }

    private static byte[]? CheckpointKey()
    {
        try
        {
            return AuditCheckpoint.KeyFromHex(Environment.GetEnvironmentVariable(KeyVariable));
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new CliException($"{KeyVariable} 无效：应为至少32位的十六进制字符串。");
        }
    }

    /// <summary>Errors as one zh-CN line (CliHost.Describe), here too when the command runs without CliHost.</summary>
    private static async Task<int> RunAsync(TextWriter errors, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is CliException or ArgumentException or FormatException or IOException or UnauthorizedAccessException
                                  or System.Data.Common.DbException)
        {
            var (message, code) = CliHost.Describe(e);
            await errors.WriteLineAsync("错误：" + message);
            return code;
        }
    }
}
