using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Audit;
using Sojourn.Data.Security;
using Sojourn.Domain;
using Sojourn.Web.Hosting;
using Sojourn.Web.Registration;

namespace Sojourn.Web.Access.Audit;

/// <summary>
/// The audit for supervisors (search by person, officer, time) and for the migrant (who read or changed
/// my record, and which departments received it: 个人信息保护法 第四十五条).
/// </summary>
internal static class AuditApi
{
    public sealed record SearchRequest(string? IdNumber, Guid? RegistrationId, string? AccountId, DateTime? From, DateTime? To, int? Page, int? PageSize);

    /// <summary>
    /// <paramref name="PurposeBasis"/>: why a purpose had to be stated, resolved from the policies in force for the entry's
    /// residence division on its day (AuditRecorder.PurposeBasis), as the 400 for a missing purpose cites it.
    /// </summary>
    public sealed record AuditEntryDto(long? Seq, DateTime At, string AccountId, string Role, string Office, string Action, string Operation, Guid? RegistrationId, string? Division, string Fields, string? Purpose, string? Ip, string? PurposeBasis = null);

    /// <summary><paramref name="Proof"/>: that the entry is in the sealed, signed log (null: not yet sealed and signed).</summary>
    public sealed record AccessDto(DateTime At, string Office, string Role, string Action, string Fields, string? Purpose, string? PurposeBasis = null,
        InclusionProofDto? Proof = null);

    /// <summary>A signed chain head: tree size, chain hash, Merkle root, time, key id and SM2 signature (hex).</summary>
    public sealed record SignedHeadDto(long Seq, string Hash, string MerkleRoot, DateTime SignedAt, string KeyId, string Signature);

    /// <summary>RFC 6962 inclusion proof of entry <paramref name="Seq"/> (leaf = its chain hash) in the tree <paramref name="Head"/> signed.</summary>
    public sealed record InclusionProofDto(long Seq, string EntryHash, IReadOnlyList<string> Path, SignedHeadDto Head);

    public sealed record ProofCheckDto(bool Valid, bool SignatureValid, bool Included);

    public sealed record VerifyDto(bool Intact, long Checked, int? ErrorCode, string? Title, string? Detail);

    public sealed record PublicKeyDto(string Algorithm, string KeyId, string PublicKey);

    public sealed record MyAccessLogDto(IReadOnlyList<AccessDto> Items, IReadOnlyList<string> DepartmentsReceived, int Page, int PageSize, int Total);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/audit/search", SearchAsync).WithName("SearchAudit").NotReplayed().WithTags("审计 Audit")
            .WithSummary("审计查询：按人员（身份号码放在请求体）、按经办账号、按时间，分页");
        app.MapGet("/api/v1/me/access-log", MyAccessLogAsync).WithName("MyAccessLog").WithTags("审计 Audit")
            .WithSummary("本人记录被谁查看、修改，用途，以及接收数据的部门");
        app.MapGet("/me/access-log", MyAccessLogPageAsync).WithName("MyAccessLogPage").ExcludeFromDescription();
        app.MapGet("/api/v1/audit/status", StatusAsync).WithName("GetAuditStatus").WithTags("审计 Audit")
            .WithSummary("审计日志状态：已封存、未封存条数，最早未封存记录的等待时长，最新签名链头");
        app.MapGet("/api/v1/audit/public-key", PublicKey).WithName("GetAuditPublicKey").WithTags("审计 Audit")
            .WithSummary("审计链头签名公钥（SM2，非压缩点，十六进制）");
        app.MapPost("/api/v1/audit/verify", VerifyAsync).WithName("VerifyAudit").NotReplayed().WithTags("审计 Audit")
            .WithSummary("校验审计日志：哈希链、已签名链头与库外检查点文件、默克尔树根");
        app.MapPost("/api/v1/audit/proofs/check", CheckProof).WithName("CheckAuditProof").NotReplayed().WithTags("审计 Audit")
            .WithSummary("核验一条审计记录的包含证明（RFC 6962）与链头签名");
    }

    private static async Task<Ok<AuditStatus>> StatusAsync(AuditQueries audit, CancellationToken cancellationToken) =>
        TypedResults.Ok(await audit.StatusAsync(cancellationToken));

    private static Ok<PublicKeyDto> PublicKey(AuditKeyring keyring) =>
        TypedResults.Ok(new PublicKeyDto("SM2", keyring.Key.KeyId, Convert.ToHexStringLower(keyring.Key.PublicKey)));

    private static async Task<Results<Ok<VerifyDto>, ProblemHttpResult>> VerifyAsync(AuditQueries audit, CancellationToken cancellationToken)
    {
        var check = await audit.VerifyAsync(cancellationToken);
        if (check.Code is { } code)
        {
            var problem = ApiProblems.Result(code, check.Result.Detail);
            problem.ProblemDetails.Extensions["checked"] = check.Result.Checked;
            problem.ProblemDetails.Extensions["firstBadSeq"] = check.FirstBadSeq;
            return problem;
        }

        return TypedResults.Ok(check.Result);
    }

    private static Results<Ok<ProofCheckDto>, ProblemHttpResult> CheckProof(InclusionProofDto? proof, AuditKeyring keyring)
    {
        if (proof?.Head is null || proof.Path is null || string.IsNullOrEmpty(proof.EntryHash))
        {
            return ApiProblems.Validation("proof", "包含证明不完整");
        }

        var head = new AuditSignedHead
        {
            Seq = proof.Head.Seq,
            Hash = proof.Head.Hash ?? "",
            MerkleRoot = proof.Head.MerkleRoot ?? "",
            SignedAt = proof.Head.SignedAt,
            KeyId = proof.Head.KeyId ?? "",
            Signature = proof.Head.Signature ?? "",
        };
        var signature = AuditSignatures.Valid(head, [keyring.Key.PublicKey]);
        var included = AuditMerkle.VerifyInclusion(proof.EntryHash, proof.Seq - 1, head.Seq, proof.Path, head.MerkleRoot);
        return TypedResults.Ok(new ProofCheckDto(signature && included, signature, included));
    }

    /// <summary>Inclusion proofs of <paramref name="entries"/> under the newest signed head (null for those it does not cover).</summary>
    private static async Task<Dictionary<long, InclusionProofDto>> ProofsAsync(
        SojournDbContext db, IEnumerable<AuditEntry> entries, CancellationToken cancellationToken)
    {
        var proofs = new Dictionary<long, InclusionProofDto>();
        var head = await AuditHeads.LatestAsync(db, cancellationToken);
        var covered = entries.Where(e => e.Seq is { } seq && head is not null && seq <= head.Seq).ToList();
        if (head is null || covered.Count == 0)
        {
            return proofs;
        }

        // O(log n) stored nodes and a few tiles of entries per proof, not the whole log (AuditMerkleTree).
        var tree = AuditMerkleTree.Open(db);
        var headDto = new SignedHeadDto(head.Seq, head.Hash, head.MerkleRoot, head.SignedAt, head.KeyId, head.Signature);
        foreach (var e in covered)
        {
            if (await tree.InclusionPathAsync(e.Seq!.Value - 1, head.Seq, cancellationToken) is not { } path)
            {
                return []; // the log no longer matches its head: no proof can be given (verification says why)
            }

            proofs[e.Id] = new InclusionProofDto(e.Seq.Value, e.Hash!, path, headDto);
        }

        return proofs;
    }

    private static async Task<Results<Ok<PageDto<AuditEntryDto>>, ProblemHttpResult>> SearchAsync(
        SearchRequest request, HttpContext http, AuditQueries audit, AuditRecorder recorder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A supervisor sees the audit of their own jurisdiction only.
        var answer = await audit.SearchAsync(request, http.User.Scope().Divisions, cancellationToken);
        if (answer.InvalidField is { } field)
        {
            return ApiProblems.Validation(field, answer.Message!);
        }

        if (answer.SearchedPerson is { } searchedPerson)
        {
            // Who read a named person's data is itself that person's data: the search is audited, hit or miss.
            await recorder.RecordPersonSearchAsync(http, "SearchAudit", searchedPerson, "audit", cancellationToken);
        }

        return TypedResults.Ok(answer.Page!);
    }

    private static async Task<MyAccessLogDto> LoadAsync(HttpContext http, SojournDbContext db, int page, int size, CancellationToken cancellationToken)
    {
        var person = http.User.Scope().PersonIdHmac ?? "-";
        var me = http.User.AccountId();
        var query = db.AuditEntries.AsNoTracking().Where(a => a.PersonIdHmac == person && a.AccountId != me);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(a => a.Id).Skip(Paging.Skip(page, size)).Take(size).ToListAsync(cancellationToken);
        var proofs = await ProofsAsync(db, items, cancellationToken);
        var departments = await query.Where(a => a.ActorRole.StartsWith("dept-")).Select(a => a.Office).Distinct().ToListAsync(cancellationToken);
        return new MyAccessLogDto(
            [.. items.Select(a => new AccessDto(a.At, a.Office, Labels.Role(a.ActorRole), Labels.Action(a.Action), a.Fields, PurposeCatalogue.Default.Label(a.Purpose),
                BasisOf(a.ResidenceDivisionCode, a.At), proofs.GetValueOrDefault(a.Id)))],
            [.. departments.Order(StringComparer.Ordinal)], page, size, total);
    }

    // Account actions name no person: no purpose basis.
    internal static string? BasisOf(string? division, DateTime at) =>
        division is null ? null : AuditRecorder.PurposeBasis(division, Hosting.ChinaClock.DayOf(at));

    private static async Task<Ok<MyAccessLogDto>> MyAccessLogAsync(HttpContext http, SojournDbContext db, int? page, int? pageSize, CancellationToken cancellationToken) =>
        TypedResults.Ok(await LoadAsync(http, db, Math.Max(page ?? 1, 1), Math.Clamp(pageSize ?? 50, 1, 200), cancellationToken));

    private static async Task<IResult> MyAccessLogPageAsync(HttpContext http, SojournDbContext db, CancellationToken cancellationToken)
    {
        var log = await LoadAsync(http, db, 1, 200, cancellationToken);
        var html = new StringBuilder();
        html.Append("""
            <!doctype html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>我的信息被查阅情况</title>
            <style>body{font-family:sans-serif;max-width:56rem;margin:2rem auto;line-height:1.7}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}</style>
            </head><body><h1>我的信息被查阅情况</h1>
            <p>依据《个人信息保护法》第四十五条，您可以查阅您的居住登记信息被哪些机关、以何种身份、为何用途查看或修改。</p>
            <h2>接收过您数据的部门</h2>
            """);
        html.Append(log.DepartmentsReceived.Count == 0
            ? "<p>暂无。</p>"
            : "<ul>" + string.Concat(log.DepartmentsReceived.Select(d => $"<li>{WebUtility.HtmlEncode(d)}</li>")) + "</ul>");
        html.Append("<h2>查阅和修改记录</h2><table><thead><tr><th>时间</th><th>机关</th><th>身份</th><th>操作</th><th>用途</th><th>依据</th><th>涉及字段</th><th>存证</th></tr></thead><tbody>");
        foreach (var a in log.Items)
        {
            html.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"<tr><td>{Labels.Time(a.At)}</td><td>{WebUtility.HtmlEncode(a.Office)}</td><td>{WebUtility.HtmlEncode(a.Role)}</td><td>{WebUtility.HtmlEncode(a.Action)}</td><td>{WebUtility.HtmlEncode(a.Purpose ?? "未说明")}</td><td>{WebUtility.HtmlEncode(a.PurposeBasis ?? "")}</td><td>{WebUtility.HtmlEncode(a.Fields)}</td><td>{(a.Proof is { } p ? $"已封存：第 {p.Seq} 条，已签名链头共 {p.Head.Seq} 条" : "尚未封存")}</td></tr>");
        }

        html.Append(log.Items.Count == 0 ? "<tr><td colspan=\"8\">暂无记录。</td></tr>" : "");
        html.Append("</tbody></table></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }
}
