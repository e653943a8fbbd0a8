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

namespace Sojourn.Web.Access;

/// <summary>
/// The audit for supervisors (search by person, officer, time) and for the migrant (who read or changed
/// my record, and which departments received it: 个人信息保护法 第四十五条).
/// </summary>
public static class AuditApi
{
    public sealed record SearchRequest(string? IdNumber, Guid? RegistrationId, string? AccountId, DateTime? From, DateTime? To, int? Page, int? PageSize);

    /// <summary>
    /// <paramref name="PurposeBasis"/>: why a purpose had to be stated, resolved from the policies in force for the entry's
    /// residence division on its day (AuditRecorder.PurposeBasis), as the 400 for a missing purpose cites it.
    /// </summary>
    public sealed record AuditEntryDto(long Seq, DateTime At, string AccountId, string Role, string Office, string Action, string Operation, Guid? RegistrationId, string? Division, string Fields, string? Purpose, string? Ip, string? PurposeBasis = null);

    public sealed record AccessDto(DateTime At, string Office, string Role, string Action, string Fields, string? Purpose, string? PurposeBasis = null);

    public sealed record MyAccessLogDto(IReadOnlyList<AccessDto> Items, IReadOnlyList<string> DepartmentsReceived, int Page, int PageSize, int Total);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/audit/search", SearchAsync).WithName("SearchAudit").NotReplayed().WithTags("审计 Audit")
            .WithSummary("审计查询：按人员（身份号码放在请求体）、按经办账号、按时间，分页");
        app.MapGet("/api/v1/me/access-log", MyAccessLogAsync).WithName("MyAccessLog").WithTags("审计 Audit")
            .WithSummary("本人记录被谁查看、修改，用途，以及接收数据的部门");
        app.MapGet("/me/access-log", MyAccessLogPageAsync).WithName("MyAccessLogPage").ExcludeFromDescription();
    }

    private static async Task<Results<Ok<PageDto<AuditEntryDto>>, ProblemHttpResult>> SearchAsync(
        SearchRequest request, HttpContext http, SojournDbContext db, IdentityProtector protector, ChinaClock clock,
        AuditRecorder recorder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var size = Math.Clamp(request.PageSize ?? 50, 1, 200);
        var page = Math.Max(request.Page ?? 1, 1);
        var query = db.AuditEntries.AsNoTracking();
        string? searchedPerson = null;

        // A supervisor sees the audit of their own jurisdiction only.
        var divisions = http.User.Scope().Divisions.ToList();
        query = query.Where(a => a.ResidenceDivisionCode != null && divisions.Any(d => EF.Functions.Like(a.ResidenceDivisionCode, d + "%")));
        if (request.IdNumber is not null)
        {
            if (!CitizenId.TryParse(request.IdNumber, clock.Today, out var id, out _))
            {
                return ApiProblems.Validation("idNumber", "公民身份号码无效");
            }

            var hash = protector.LookupHash(id.Value);
            searchedPerson = hash;
            query = query.Where(a => a.PersonIdHmac == hash);
        }

        if (request.RegistrationId is { } rid)
        {
            query = query.Where(a => a.RegistrationId == rid);
        }

        if (!string.IsNullOrWhiteSpace(request.AccountId))
        {
            query = query.Where(a => a.AccountId == request.AccountId);
        }

        if (request.From is { } from)
        {
            var f = from.ToUniversalTime();
            query = query.Where(a => a.At >= f);
        }

        if (request.To is { } to)
        {
            var t = to.ToUniversalTime();
            query = query.Where(a => a.At < t);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(a => a.Seq).Skip(Paging.Skip(page, size)).Take(size)
            .Select(a => new AuditEntryDto(a.Seq, a.At, a.AccountId, a.ActorRole, a.Office, a.Action, a.Operation, a.RegistrationId, a.ResidenceDivisionCode, a.Fields, a.Purpose, a.Ip))
            .ToListAsync(cancellationToken);
        items = [.. items.Select(a => a with { Purpose = PurposeCatalogue.Default.Label(a.Purpose), PurposeBasis = BasisOf(a.Division, a.At) })];
        if (searchedPerson is not null)
        {
            // Who read a named person's data is itself that person's data: the search is audited, hit or miss.
            await recorder.RecordPersonSearchAsync(http, "SearchAudit", searchedPerson, "audit", cancellationToken);
        }

        return TypedResults.Ok(new PageDto<AuditEntryDto>(items, page, size, total));
    }

    private static async Task<MyAccessLogDto> LoadAsync(HttpContext http, SojournDbContext db, int page, int size, CancellationToken cancellationToken)
    {
        var person = http.User.Scope().PersonIdHmac ?? "-";
        var me = http.User.AccountId();
        var query = db.AuditEntries.AsNoTracking().Where(a => a.PersonIdHmac == person && a.AccountId != me);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(a => a.Seq).Skip(Paging.Skip(page, size)).Take(size).ToListAsync(cancellationToken);
        var departments = await query.Where(a => a.ActorRole.StartsWith("dept-")).Select(a => a.Office).Distinct().ToListAsync(cancellationToken);
        return new MyAccessLogDto(
            [.. items.Select(a => new AccessDto(a.At, a.Office, Labels.Role(a.ActorRole), Labels.Action(a.Action), a.Fields, PurposeCatalogue.Default.Label(a.Purpose),
                BasisOf(a.ResidenceDivisionCode, a.At)))],
            [.. departments.Order(StringComparer.Ordinal)], page, size, total);
    }

    // Account actions name no person: no purpose basis.
    private static string? BasisOf(string? division, DateTime at) =>
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
        html.Append("<h2>查阅和修改记录</h2><table><thead><tr><th>时间</th><th>机关</th><th>身份</th><th>操作</th><th>用途</th><th>依据</th><th>涉及字段</th></tr></thead><tbody>");
        foreach (var a in log.Items)
        {
            html.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"<tr><td>{Labels.Time(a.At)}</td><td>{WebUtility.HtmlEncode(a.Office)}</td><td>{WebUtility.HtmlEncode(a.Role)}</td><td>{WebUtility.HtmlEncode(a.Action)}</td><td>{WebUtility.HtmlEncode(a.Purpose ?? "未说明")}</td><td>{WebUtility.HtmlEncode(a.PurposeBasis ?? "")}</td><td>{WebUtility.HtmlEncode(a.Fields)}</td></tr>");
        }

        html.Append(log.Items.Count == 0 ? "<tr><td colspan=\"7\">暂无记录。</td></tr>" : "");
        html.Append("</tbody></table></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }
}
