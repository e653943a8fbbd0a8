using System.Globalization;
using System.Net;
using System.Text;
using Sojourn.Credentials;

namespace Sojourn.Web.Permits.EPermit;

/// <summary>
/// GET /v/{credential}: what a phone shows after scanning the QR code on a permit. Anonymous and
/// rate-limited; asks nothing of the person scanning; checks online (revocation included); one small
/// zh-CN page with inline style only (the strict CSP allows no script and no external asset).
/// Every check is recorded (<c>CredentialCheck</c>, channel <c>page</c>, purpose 扫码核验 or ?purpose=).
/// </summary>
internal static class VerificationPage
{
    public const string DefaultPurpose = "扫码核验";

    public static async Task<IResult> RenderAsync(
        string credential, string? purpose, HttpContext http, OnlineVerifier verifier, Data.SojournDbContext db, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(time);
        var outcome = await verifier.VerifyAsync(credential, ct);
        verifier.Record(outcome, "page", http, string.IsNullOrWhiteSpace(purpose) ? DefaultPurpose : purpose.Trim());
        await db.SaveChangesAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return Results.Content(Html(outcome.Result, time.GetUtcNow()), "text/html; charset=utf-8");
    }

    internal static string Html(VerificationResult r, DateTimeOffset checkedAt)
    {
        var ok = r.IsValid;
        var h = new StringBuilder();
        h.Append("""
            <!doctype html>
            <html lang="zh-CN"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width,initial-scale=1">
            <meta name="robots" content="noindex">
            <title>电子居住证核验结果</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:0;padding:1rem;background:#f4f6f8;color:#222;line-height:1.6}
            main{max-width:30rem;margin:0 auto;background:#fff;border-radius:.8rem;padding:1.2rem;box-shadow:0 1px 4px #0002}
            .v{font-size:1.6rem;font-weight:bold;margin:.2rem 0 .6rem}.ok{color:#17773a}.no{color:#b3261e}
            dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem .8rem;margin:1rem 0}dt{color:#666}dd{margin:0}
            .w{background:#fff6d6;padding:.5rem;border-radius:.4rem;font-size:.9rem}
            footer{color:#777;font-size:.8rem;margin-top:1rem}
            </style></head><body><main>
            <h1 style="font-size:1.1rem;margin:0">电子居住证核验</h1>
            """);
        h.Append(CultureInfo.InvariantCulture, $"<p class=\"v {(ok ? "ok" : "no")}\">{(ok ? "✔ 有效" : "✘ 无效")}</p>");
        h.Append(CultureInfo.InvariantCulture, $"<p>{E(r.Message)}</p>");
        if (r.Credential is { } c)
        {
            h.Append("<dl>");
            Row(h, "持证人", c.MaskedName);
            Row(h, "居住证号码", c.PermitNumber);
            Row(h, "有效期限", $"{D(c.ValidFrom)} 至 {(c.ValidUntil == DateOnly.MaxValue ? "长期" : D(c.ValidUntil))}");
            Row(h, "签注", OnlineVerifier.EndorsementLabel(c.Endorsement));
            Row(h, "下次签注截止", D(c.NextEndorsementDeadline));
            Row(h, "发证机关", c.Authority.Name);
            h.Append("</dl>");
        }

        foreach (var warning in r.Warnings)
        {
            h.Append(CultureInfo.InvariantCulture, $"<p class=\"w\">{E(warning)}</p>");
        }

        var time = checkedAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        h.Append(CultureInfo.InvariantCulture, $"<footer>核验代码 {E(r.Code)} · 核验时间 {time}（北京时间）<br>本页只显示核验所需的信息（居住证暂行条例 第十七条），核验记录由发证机关留存。</footer>");
        h.Append("</main></body></html>");
        return h.ToString();
    }

    private static void Row(StringBuilder h, string label, string value) =>
        h.Append(CultureInfo.InvariantCulture, $"<dt>{label}</dt><dd>{E(value)}</dd>");

    private static string D(DateOnly d) => d.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
