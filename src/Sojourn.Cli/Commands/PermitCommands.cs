using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Sojourn.Credentials;
using Sojourn.Data.Security;
using Sojourn.Documents;

namespace Sojourn.Cli.Commands;

/// <summary>
/// <c>sojourn permit …</c>: the electronic residence permit credential — key generation and
/// rotation, a demo issuance (credential, QR PNG/SVG, status list, permit face PDF), status changes
/// and offline verification (exit 0 valid, 1 invalid, 2 usage error).
/// </summary>
public static class PermitCommands
{
    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="configuration">For <c>permit sweep</c>: the web host's settings (keys); by default the environment.</param>
    public static Command Create(TimeProvider time, TextWriter? stdout = null, TextWriter? stderr = null, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        var io = new Io(stdout ?? Console.Out, stderr ?? Console.Error);
        var permit = new Command("permit", "电子居住证凭证：生成密钥、演示签发、更新状态列表、离线核验；居住证日常核查（sweep）");
        permit.Subcommands.Add(Keygen(time, io));
        permit.Subcommands.Add(IssueDemo(time, io));
        permit.Subcommands.Add(Status(time, io));
        permit.Subcommands.Add(Verify(time, io));
        permit.Subcommands.Add(Sms(time, io));
        permit.Subcommands.Add(SweepCommand.Create(time, io.Out, configuration));
        return permit;
    }

    private sealed record Io(TextWriter Out, TextWriter Err);

    private static Command Keygen(TimeProvider time, Io io)
    {
        var authority = new Option<string>("--authority") { Description = "发证机关6位区划代码，如 320106" };
        var name = new Option<string>("--name") { Description = "发证机关名称", DefaultValueFactory = _ => "公安机关" };
        var output = new Option<string>("--out") { Description = "密钥环文件（含私钥）；同时写出 <文件名>.pub.json（公钥，供查验端同步）", Required = true };
        var rotate = new Option<bool>("--rotate") { Description = "轮换：停用现有密钥环的当前密钥并生成新密钥" };
        var cmd = new Command("keygen", "生成发证机关的 SM2 密钥环，或轮换其当前密钥") { authority, name, output, rotate };
        cmd.SetAction(r =>
        {
            var path = r.GetValue(output)!;
            IssuerKeyRing ring;
            if (r.GetValue(rotate))
            {
                ring = CliInput.ReadSigningRing(path);
                ring.Rotate(time);
            }
            else
            {
                if (r.GetValue(authority) is not { } code)
                {
                    throw new CliException("请用 --authority 指定发证机关区划代码。");
                }

                if (File.Exists(path))
                {
                    throw new CliException($"文件已存在，不覆盖：{path}（轮换请加 --rotate）");
                }

                if (code.Length != 6 || !code.All(char.IsAsciiDigit))
                {
                    throw new CliException($"--authority 应为6位数字的区划代码：{code}");
                }

                ring = IssuerKeyRing.Generate(new IssuingAuthority(code, r.GetValue(name)!), time);
            }

            File.WriteAllText(path, ring.ToJson());
            var publicPath = PublicPath(path);
            File.WriteAllText(publicPath, ring.ToPublicJson());
            io.Out.WriteLine($"发证机关：{ring.Authority.Name}（{ring.Authority.Code}）");
            io.Out.WriteLine($"当前密钥：{ring.Current!.KeyId}（共 {ring.Keys.Count} 个密钥）");
            io.Out.WriteLine($"密钥环（含私钥，妥善保管）：{path}");
            io.Out.WriteLine($"公钥（分发给查验端）：{publicPath}");
            return 0;
        });
        return cmd;
    }

    private static Command IssueDemo(TimeProvider time, Io io)
    {
        var keys = new Option<string>("--keys") { Description = "密钥环文件（含私钥）", Required = true };
        var name = new Option<string>("--name") { Description = "持证人姓名（凭证中只保存脱敏姓名）", DefaultValueFactory = _ => "张三明" };
        var number = new Option<string>("--permit-number") { Description = "居住证号码", DefaultValueFactory = _ => "3201062026000001" };
        var from = new Option<string>("--valid-from") { Description = "有效期起 yyyy-MM-dd", Required = true };
        var until = new Option<string>("--valid-until") { Description = "有效期止 yyyy-MM-dd（由规则引擎计算）", Required = true };
        var endorseBy = new Option<string>("--endorse-by") { Description = "下次签注截止日 yyyy-MM-dd（由规则引擎计算）", Required = true };
        var endorsement = new Option<EndorsementStatus>("--endorsement") { Description = "签注状态：NotDue / Endorsed / Suspended", DefaultValueFactory = _ => EndorsementStatus.NotDue };
        var photo = new Option<string?>("--photo") { Description = "照片文件（只保存其 SM3 摘要）" };
        var index = new Option<int>("--index") { Description = "状态列表序号", DefaultValueFactory = _ => 0 };
        var listUntil = new Option<string?>("--status-valid-until") { Description = "状态列表有效至 yyyy-MM-dd（当日24时，北京时间）；不给则按 --status-valid-hours" };
        var listHours = new Option<int>("--status-valid-hours")
        {
            Description = $"状态列表自签发起有效的小时数（默认 {StatusList.DefaultValidHours}，与服务端 Sojourn:EPermit:StatusListValidHours 的默认值相同）",
            DefaultValueFactory = _ => StatusList.DefaultValidHours,
        };
        var baseUrl = new Option<string>("--base-url") { Description = "核验页面地址", DefaultValueFactory = _ => "https://sojourn.example.cn" };
        var outDir = new Option<string>("--out") { Description = "输出目录", DefaultValueFactory = _ => "permit-demo" };
        var pdf = new Option<bool>("--pdf") { Description = "同时生成居住证卡面 PDF（使用内置字体）" };
        var cmd = new Command("issue-demo", "演示签发：写出凭证、二维码（PNG/SVG）、核验网址和签名的状态列表")
        {
            keys, name, number, from, until, endorseBy, endorsement, photo, index, listUntil, listHours, baseUrl, outDir, pdf,
        };
        cmd.SetAction(r =>
        {
            var ring = CliInput.ReadSigningRing(r.GetValue(keys)!);
            var validFrom = CliInput.Date(r.GetValue(from)!, "--valid-from");
            var validUntil = CliInput.Date(r.GetValue(until)!, "--valid-until");
            var deadline = CliInput.Date(r.GetValue(endorseBy)!, "--endorse-by");
            if (validUntil < validFrom)
            {
                throw new CliException("--valid-until 不能早于 --valid-from。");
            }

            var statusIndex = StatusIndex(r.GetValue(index), StatusList.DefaultCapacity);
            var photoBytes = r.GetValue(photo) is { } p ? CliInput.ReadBytes(p, "照片文件") : "demo-photo"u8.ToArray();
            var now = time.GetUtcNow();
            var listValidUntil = r.GetValue(listUntil) is { } lu
                ? EndOfDay(CliInput.Date(lu, "--status-valid-until"))
                : now.AddHours(r.GetValue(listHours) is > 0 and <= 24 * 366 and var h ? h : throw new CliException("--status-valid-hours 应在 1 至 8784 之间。"));
            if (listValidUntil <= now)
            {
                throw new CliException("--status-valid-until 应晚于签发时间。");
            }

            if (!Uri.TryCreate(r.GetValue(baseUrl), UriKind.Absolute, out var baseUri))
            {
                throw new CliException($"--base-url 不是有效的网址：{r.GetValue(baseUrl)}");
            }

            var claims = new PermitCredential
            {
                MaskedName = NameMask.Mask(r.GetValue(name)!),
                PhotoDigest = PhotoDigest.Compute(photoBytes),
                PermitNumber = r.GetValue(number)!,
                ValidFrom = validFrom,
                ValidUntil = validUntil,
                Endorsement = r.GetValue(endorsement),
                NextEndorsementDeadline = deadline,
                Authority = ring.Authority,
                StatusIndex = statusIndex,
                IssuedAt = now,
            };
            var credential = CredentialCodec.Issue(claims, ring);
            var dir = r.GetValue(outDir)!;
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "credential.txt"), credential);
            var png = CredentialQr.Png(credential);
            File.WriteAllBytes(Path.Combine(dir, "credential.png"), png);
            File.WriteAllText(Path.Combine(dir, "credential.svg"), CredentialQr.Svg(credential));
            var url = VerificationUrl.Build(baseUri, credential);
            File.WriteAllText(Path.Combine(dir, "url.txt"), url);

            var list = new StatusList(ring.Authority);
            File.WriteAllText(Path.Combine(dir, "status-list.txt"), list.Sign(ring, now, listValidUntil));
            File.WriteAllText(Path.Combine(dir, "keys.pub.json"), ring.ToPublicJson());

            if (r.GetValue(pdf))
            {
                var face = PermitDocuments.PermitFace(new PermitFaceData(
                    r.GetValue(name)!, "男", "汉族", new DateOnly(1990, 1, 1), "320106199001010000（演示）", "江苏省南京市鼓楼区演示路1号",
                    claims.PermitNumber, ring.Authority.Name, DateOnly.FromDateTime(now.UtcDateTime), validFrom, validUntil, QrContent: url));
                File.WriteAllBytes(Path.Combine(dir, "permit-face.pdf"), new PdfRenderer().Render(face));
            }

            io.Out.WriteLine($"凭证（{credential.Length} 字符，二维码版本 {CredentialQr.Version(credential)}，纠错等级 M）：");
            io.Out.WriteLine(credential);
            io.Out.WriteLine($"核验网址（{url.Length} 字符，二维码版本 {CredentialQr.Version(url)}）：{url}");
            io.Out.WriteLine($"已写出：{dir}/credential.txt credential.png credential.svg url.txt status-list.txt keys.pub.json{(r.GetValue(pdf) ? " permit-face.pdf" : "")}");
            io.Out.WriteLine($"核验：sojourn permit verify {dir}/credential.txt --keys {dir}/keys.pub.json --status-list {dir}/status-list.txt");
            return 0;
        });
        return cmd;
    }

    private static Command Status(TimeProvider time, Io io)
    {
        var keys = new Option<string>("--keys") { Description = "密钥环文件（含私钥）", Required = true };
        var list = new Option<string>("--status-list") { Description = "状态列表文件（就地更新）", Required = true };
        var index = new Option<int>("--index") { Description = "凭证的状态列表序号", Required = true };
        var set = new Option<CredentialStatus>("--set") { Description = "Valid / Suspended / Revoked", Required = true };
        var until = new Option<string>("--valid-until") { Description = "新列表有效至 yyyy-MM-dd", Required = true };
        var cmd = new Command("status", "撤销、暂停或恢复一个凭证，并重新签名状态列表") { keys, list, index, set, until };
        cmd.SetAction(r =>
        {
            var ring = CliInput.ReadSigningRing(r.GetValue(keys)!);
            var current = StatusList.Verify(CliInput.ReadText(r.GetValue(list)!, "状态列表文件"), new TrustedIssuers([ring]), out var error)
                ?? throw new CliException($"状态列表 {r.GetValue(list)} 与密钥环 {r.GetValue(keys)} 不符或已损坏：{error}");
            var validUntil = EndOfDay(CliInput.Date(r.GetValue(until)!, "--valid-until"));
            var now = time.GetUtcNow();
            if (validUntil <= now)
            {
                throw new CliException("--valid-until 应晚于现在（状态列表的签发时间）。");
            }

            current.Set(StatusIndex(r.GetValue(index), current.Capacity), r.GetValue(set));
            File.WriteAllText(r.GetValue(list)!, current.Sign(ring, now, validUntil));
            io.Out.WriteLine($"序号 {r.GetValue(index)} 已设为 {r.GetValue(set)}，状态列表已重新签名。");
            return 0;
        });
        return cmd;
    }

    private static Command Verify(TimeProvider time, Io io)
    {
        var credential = new Argument<string>("credential") { Description = "凭证文本、核验网址，或含其一的文件" };
        var keys = new Option<string[]>("--keys") { Description = "受信任的发证机关公钥文件（可多个）", AllowMultipleArgumentsPerToken = true };
        var list = new Option<string?>("--status-list") { Description = "已同步的状态列表文件" };
        var photo = new Option<string?>("--photo") { Description = "持证人照片文件，与凭证中的摘要比对" };
        var at = new Option<string?>("--at") { Description = "核验时间（yyyy-MM-dd 或 ISO 8601），默认现在" };
        var json = new Option<bool>("--json") { Description = "以 JSON 输出" };
        var acceptStale = new Option<bool>("--accept-stale-status")
        {
            Description = "缺少状态列表或状态列表已过期时仍按其余检查给出结论（输出中注明，并写明列表的年龄）；默认不予确认",
        };
        var cmd = new Command("verify", "离线核验电子居住证凭证：有效返回 0；无效、或缺少/过期的状态列表而不予确认返回 1")
        {
            credential, keys, list, photo, at, json, acceptStale,
        };
        cmd.SetAction(r =>
        {
            var text = r.GetValue(credential)!;
            if (File.Exists(text))
            {
                text = CliInput.ReadText(text, "凭证文件").Trim();
            }

            var rings = new List<IssuerKeyRing>();
            foreach (var file in r.GetValue(keys) ?? [])
            {
                rings.AddRange(CliInput.ReadTrusted(file).Rings);
            }

            var input = new VerificationInput
            {
                StatusList = r.GetValue(list) is { } l ? CliInput.ReadText(l, "状态列表文件") : null,
                Photo = r.GetValue(photo) is { } p ? CliInput.ReadBytes(p, "照片文件") : (ReadOnlyMemory<byte>?)null,
                At = r.GetValue(at) is { } atText ? CliInput.Instant(atText, "--at") : null,
                RequireCurrentStatus = !r.GetValue(acceptStale),
            };
            var result = new CredentialVerifier(new TrustedIssuers(rings), time).Verify(text, input);

            // Accepted only because the user said so: the output says so too.
            var accepted = r.GetValue(acceptStale) && (input.StatusList is null || result.StatusList is { Expired: true })
                ? input.StatusList is null
                    ? "已按 --accept-stale-status 在没有状态列表的情况下给出结论：未核验撤销状态。"
                    : $"已按 --accept-stale-status 接受过期的状态列表（签发于{result.StatusList!.AgeText}前）。"
                : null;
            if (r.GetValue(json))
            {
                WriteJson(io.Out, result, accepted);
            }
            else
            {
                WriteText(io.Out, result, accepted);
            }

            return result.IsValid ? 0 : 1;
        });
        return cmd;
    }

    /// <summary>
    /// <c>permit sms pending|mark-sent</c>: the SMS gateway's side of the reminder outbox. The gateway host
    /// holds the SM4 key (env <c>Sojourn__Crypto__Sm4Key</c>, <c>Sojourn__Crypto__Sm4Keys__{id}</c>, or
    /// <c>--sm4-key-file</c>) and is the only place a number is decrypted; <c>pending</c> prints one JSON
    /// object per line ({id, phone, text, attempts}) for the sender, <c>mark-sent</c> records the outcome.
    /// </summary>
    private static Command Sms(TimeProvider time, Io io)
    {
        var sms = new Command("sms", "提醒短信发件箱（短信网关使用）：列出待发短信、登记发送结果");
        var database = new DatabaseOptions();
        var keyFile = new Option<string?>("--sm4-key-file") { Description = "SM4 密钥文件（32位十六进制）；默认取环境变量 Sojourn__Crypto__Sm4Key" };
        var limit = new Option<int>("--limit") { Description = "最多列出条数", DefaultValueFactory = _ => 100 };
        var pending = new Command("pending", "列出待发短信（每行一个 JSON：id、phone、text、attempts）") { limit, keyFile };
        database.AddTo(pending);
        pending.SetAction(r =>
        {
            var protector = Protector(r.GetValue(keyFile));

            using var db = database.Open(r);
            var messages = db.SmsOutbox.AsNoTracking().Where(m => m.SentAt == null)
                .OrderBy(m => m.CreatedAt).Take(Math.Max(1, r.GetValue(limit))).ToList();
            foreach (var m in messages)
            {
                using var stream = new MemoryStream();
                using (var j = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                {
                    j.WriteStartObject();
                    j.WriteString("id", m.Id);
                    j.WriteString("phone", protector.Decrypt(m.PhoneCipher));
                    j.WriteString("text", m.Text);
                    j.WriteNumber("attempts", m.Attempts);
                    j.WriteEndObject();
                }

                io.Out.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
            }

            return 0;
        });

        var ids = new Argument<Guid[]>("id") { Description = "短信编号（pending 输出的 id）", Arity = ArgumentArity.OneOrMore };
        var failed = new Option<string?>("--failed") { Description = "发送失败：记录错误信息（不标记已发送，下次仍会列出）" };
        var markSent = new Command("mark-sent", "登记发送结果") { ids, failed };
        database.AddTo(markSent);
        markSent.SetAction(r =>
        {
            using var db = database.Open(r);
            var wanted = r.GetValue(ids)!;
            var messages = db.SmsOutbox.Where(m => wanted.Contains(m.Id)).ToList();
            var error = r.GetValue(failed);
            foreach (var m in messages)
            {
                m.Attempts++;
                if (error is null)
                {
                    m.SentAt = time.GetUtcNow().UtcDateTime;
                    m.LastError = null;
                }
                else
                {
                    m.LastError = error.Length > Data.Validation.ColumnLengths.Default ? error[..Data.Validation.ColumnLengths.Default] : error;
                }
            }

            db.SaveChanges();
            io.Out.WriteLine($"已登记 {messages.Count} 条{(error is null ? "已发送" : "发送失败")}。");
            return messages.Count == wanted.Length ? 0 : 1;
        });

        sms.Subcommands.Add(pending);
        sms.Subcommands.Add(markSent);
        return sms;
    }

    private static IdentityProtector Protector(string? keyFile)
    {
        var sm4 = keyFile is null ? Environment.GetEnvironmentVariable("Sojourn__Crypto__Sm4Key") : CliInput.ReadText(keyFile, "SM4 密钥文件").Trim();
        if (string.IsNullOrWhiteSpace(sm4))
        {
            throw new CliException("缺少 SM4 密钥：设置环境变量 Sojourn__Crypto__Sm4Key 或用 --sm4-key-file。");
        }

        // Rotated keys (Sojourn__Crypto__Sm4Keys__{id}) decrypt what they wrote, as in the web host.
        var ring = new Dictionary<string, string>(StringComparer.Ordinal) { [IdentityProtector.DefaultKeyId] = sm4 };
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            if (e.Key is string name && name.StartsWith("Sojourn__Crypto__Sm4Keys__", StringComparison.Ordinal) && e.Value is string hex && hex.Length > 0)
            {
                ring[name["Sojourn__Crypto__Sm4Keys__".Length..]] = hex;
            }
        }

        return KeyCommands.FromHex(ring, IdentityProtector.DefaultKeyId);
    }

    private static void WriteText(TextWriter w, VerificationResult result, string? accepted)
    {
        w.WriteLine($"{(result.IsValid ? "✔ 有效" : "✘ 无效")}  [{result.Code}] {result.Message}");
        if (result.Credential is { } c)
        {
            w.WriteLine($"  持证人：{c.MaskedName}　居住证号码：{c.PermitNumber}");
            w.WriteLine($"  有效期：{D(c.ValidFrom)} 至 {D(c.ValidUntil)}　签注：{Endorsement(c.Endorsement)}，下次签注截止 {D(c.NextEndorsementDeadline)}");
            w.WriteLine($"  发证机关：{c.Authority.Name}（{c.Authority.Code}）　密钥：{c.KeyId}　状态序号：{c.StatusIndex}　签发：{c.IssuedAt.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm}");
        }

        if (result.StatusList is { } s)
        {
            w.WriteLine($"  状态列表：{s.Describe()}");
        }

        foreach (var warning in result.Warnings)
        {
            w.WriteLine($"  注意：{warning}");
        }

        if (accepted is not null)
        {
            w.WriteLine($"  注意：{accepted}");
        }
    }

    private static void WriteJson(TextWriter w, VerificationResult result, string? accepted)
    {
        using var stream = new MemoryStream();
        using (var j = new Utf8JsonWriter(stream, JsonOptions))
        {
            j.WriteStartObject();
            j.WriteBoolean("valid", result.IsValid);
            j.WriteString("code", result.Code);
            j.WriteString("reason", result.Reason.ToString());
            j.WriteString("message", result.Message);
            if (result.Date is { } date)
            {
                j.WriteString("date", D(date));
            }

            j.WriteStartArray("warnings");
            foreach (var warning in result.Warnings)
            {
                j.WriteStringValue(warning);
            }

            if (accepted is not null)
            {
                j.WriteStringValue(accepted);
            }

            j.WriteEndArray();
            j.WriteBoolean("staleStatusAccepted", accepted is not null);
            if (result.StatusList is { } s)
            {
                j.WriteStartObject("statusList");
                j.WriteString("issuedAt", s.IssuedAt);
                j.WriteString("validUntil", s.ValidUntil);
                j.WriteNumber("ageSeconds", (long)Math.Max(0, s.Age.TotalSeconds));
                j.WriteString("age", s.AgeText);
                j.WriteBoolean("expired", s.Expired);
                j.WriteEndObject();
            }

            if (result.Credential is { } c)
            {
                j.WriteStartObject("credential");
                j.WriteString("maskedName", c.MaskedName);
                j.WriteString("permitNumber", c.PermitNumber);
                j.WriteString("validFrom", D(c.ValidFrom));
                j.WriteString("validUntil", D(c.ValidUntil));
                j.WriteString("endorsement", c.Endorsement.ToString());
                j.WriteString("nextEndorsementDeadline", D(c.NextEndorsementDeadline));
                j.WriteString("authorityCode", c.Authority.Code);
                j.WriteString("authorityName", c.Authority.Name);
                j.WriteString("keyId", c.KeyId);
                j.WriteNumber("statusIndex", c.StatusIndex);
                j.WriteString("issuedAt", c.IssuedAt);
                j.WriteEndObject();
            }

            j.WriteEndObject();
        }

        w.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static string Endorsement(EndorsementStatus s) => s switch
    {
        EndorsementStatus.NotDue => "未到签注期",
        EndorsementStatus.Endorsed => "已签注",
        EndorsementStatus.Suspended => "逾期未签注（功能中止）",
        _ => s.ToString(),
    };

    private static string PublicPath(string path) =>
        Path.Combine(Path.GetDirectoryName(path) ?? "", Path.GetFileNameWithoutExtension(path) + ".pub.json");

    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static int StatusIndex(int index, int capacity) =>
        index >= 0 && index < capacity ? index : throw new CliException($"--index 应在 0 至 {capacity - 1} 之间：{index}");

    /// <summary>The last instant of a calendar day in China Standard Time.</summary>
    private static DateTimeOffset EndOfDay(DateOnly day) =>
        new DateTimeOffset(day.ToDateTime(TimeOnly.MaxValue), TimeSpan.FromHours(8));
}
