using System.CommandLine;
using Sojourn.Application.Audit;
using Sojourn.Data.Audit;

namespace Sojourn.Cli.Commands;

/// <summary>
/// <c>sojourn audit verify</c>: walks the SM3 hash chain of the audit log in the configured database, checks every
/// signed head (in the database and in the checkpoint file outside it) against the audit signing key and against the
/// chain, and the newest head's Merkle root. Exit 0 intact, 1 tampered (the catalogue's error code and its zh-CN
/// message), 2 usage error. An empty or missing checkpoint file while the log has sealed entries, a head signed by
/// another key, a recomputed chain and a log shorter than a signed head all fail.
/// <c>sojourn audit seal</c>: seals what is unsealed and signs the head (as the web host's sequencer does).
/// The database is chosen as the web host chooses it: Sojourn__Database__Provider and ConnectionStrings__Sojourn;
/// the files as it chooses them: Sojourn__Audit__SigningKeyFile, Sojourn__Audit__CheckpointFile (defaults under
/// data/runtime/audit/).
/// </summary>
public static class AuditCommands
{
    public const string KeyFileVariable = "Sojourn__Audit__SigningKeyFile";
    public const string CheckpointFileVariable = "Sojourn__Audit__CheckpointFile";

    public static Command Create(TextWriter? stdout = null, TextWriter? stderr = null, TimeProvider? time = null)
    {
        var output = stdout ?? Console.Out;
        var errors = stderr ?? Console.Error;
        var clock = time ?? TimeProvider.System;
        var database = new DatabaseOptions();

        var checkpointFile = new Option<FileInfo?>("--checkpoint")
        {
            Description = "库外保存的检查点文件（默认取 Sojourn__Audit__CheckpointFile，否则 data/runtime/audit/checkpoints.jsonl）",
        };
        var keyFile = new Option<FileInfo?>("--key-file")
        {
            Description = "审计签名密钥文件（默认取 Sojourn__Audit__SigningKeyFile，否则 data/runtime/audit/signing.key）",
        };
        var publicKey = new Option<string?>("--public-key")
        {
            Description = "审计签名公钥（十六进制，GET /api/v1/audit/public-key）；给出时不读密钥文件",
        };
        var verify = new Command("verify", "校验审计日志：哈希链、已签名链头与库外检查点、默克尔树根") { checkpointFile, keyFile, publicKey };
        database.AddTo(verify);
        verify.SetAction((r, ct) => RunAsync(errors, async () =>
        {
            byte[] trusted;
            if (r.GetValue(publicKey) is { } hex)
            {
                trusted = FromHex(hex);
            }
            else
            {
                var path = KeyFilePath(r.GetValue(keyFile));
                if (!File.Exists(path))
                {
                    throw new CliException($"找不到审计签名密钥文件 {path}：用 --key-file 或 --public-key 指定。");
                }

                trusted = AuditSigningKey.PublicKeyOfFile(path);
            }

            var checkpoints = AuditCheckpoint.ReadFile(CheckpointPath(r.GetValue(checkpointFile)));
            await using var db = database.Open(r);
            var result = await AuditVerifier.VerifyAsync(db, checkpoints, [trusted], ct);
            if (AuditFaults.Describe(result) is { } fault)
            {
                await errors.WriteLineAsync($"审计日志被篡改（错误码 {fault.Code.Code}）：{fault.Title}。{fault.Detail}");
                return 1;
            }

            await output.WriteLineAsync($"审计日志完整：共 {result.Checked} 条已封存，与 {checkpoints.Count} 个库外检查点及已签名链头一致。");
            return 0;
        }));

        var seal = new Command("seal", "封存尚未封存的审计记录并签名链头（与网站的封存程序相同）") { checkpointFile, keyFile };
        database.AddTo(seal);
        seal.SetAction((r, ct) => RunAsync(errors, async () =>
        {
            var key = AuditSigningKey.LoadOrCreate(KeyFilePath(r.GetValue(keyFile)));
            await using var db = database.Open(r);
            var count = await AuditChain.SealAllAsync(db, 1000, ct);
            AuditSignedHead? signed;
            await using (var transaction = await db.Database.BeginTransactionAsync(ct))
            {
                while (!await AuditChain.ElectAsync(db, ct))
                {
                    await Task.Delay(50, ct);
                }

                signed = await AuditHeads.SignAsync(db, key, clock.GetUtcNow().UtcDateTime, ct);
                await transaction.CommitAsync(ct);
            }

            if (signed is not null)
            {
                await AuditCheckpoint.AppendAsync(CheckpointPath(r.GetValue(checkpointFile)), signed, ct);
            }

            await output.WriteLineAsync($"已封存 {count} 条；链头{(signed is null ? "未变" : $"已签名：第 {signed.Seq} 条")}。");
            return 0;
        }));

        return new Command("audit", "审计日志：校验、封存并签名链头") { verify, seal };
    }

    private static string KeyFilePath(FileInfo? given) =>
        given?.FullName ?? Environment.GetEnvironmentVariable(KeyFileVariable) ?? Path.Combine("data", "runtime", "audit", "signing.key");

    private static string CheckpointPath(FileInfo? given) =>
        given?.FullName ?? Environment.GetEnvironmentVariable(CheckpointFileVariable) ?? Path.Combine("data", "runtime", "audit", "checkpoints.jsonl");

    private static byte[] FromHex(string hex)
    {
        try
        {
            return Convert.FromHexString(hex.Trim());
        }
        catch (FormatException)
        {
            throw new CliException("--public-key 无效：应为十六进制字符串。");
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
                                  or System.Data.Common.DbException or InvalidOperationException)
        {
            var (message, code) = CliHost.Describe(e);
            await errors.WriteLineAsync("错误：" + message);
            return code;
        }
    }
}
