using System.CommandLine;
using Sojourn.Data.Audit;

namespace Sojourn.Cli.Commands;

/// <summary>
/// <c>sojourn audit verify</c>: walks the SM3 hash chain of the audit log in the configured database and
/// names the first altered, removed or reordered entry (exit 0 intact, 1 tampered, 2 usage error).
/// The database is chosen as the web host chooses it: Sojourn__Database__Provider and ConnectionStrings__Sojourn.
/// </summary>
public static class AuditCommands
{
    public static Command Create(TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var output = stdout ?? Console.Out;
        var errors = stderr ?? Console.Error;
        var database = new DatabaseOptions();
        var verify = new Command("verify", "校验审计记录的 SM3 哈希链，指出第一条被改动、删除或调换的记录");
        database.AddTo(verify);
        verify.SetAction(async (r, ct) =>
        {
            try
            {
                await using var db = database.Open(r);
                var result = await AuditChain.VerifyAsync(db, ct);
                if (result.Intact)
                {
                    await output.WriteLineAsync($"审计链完整：共 {result.Checked} 条。");
                    return 0;
                }

                await errors.WriteLineAsync($"审计链被篡改：{result.Problem}（此前 {result.Checked} 条完好）");
                return 1;
            }
            catch (ArgumentException e)
            {
                await errors.WriteLineAsync(e.Message);
                return 2;
            }
            catch (System.Data.Common.DbException e)
            {
                await errors.WriteLineAsync($"无法读取审计表（数据库不可用或尚未迁移）：{e.Message}");
                return 2;
            }
        });
        var audit = new Command("audit", "审计记录：校验哈希链") { verify };
        return audit;
    }
}
