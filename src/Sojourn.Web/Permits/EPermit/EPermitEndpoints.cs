using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sojourn.Application.Actors;
using Sojourn.Application.Audit;
using Sojourn.Application.PersonalData;
using Sojourn.Credentials;
using Sojourn.Data.Access;
using Sojourn.Web.Access;
using Sojourn.Web.Access.Audit;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Permits.EPermit;

/// <summary>The holder's credential with its verification URL and QR code.</summary>
internal sealed record CredentialDto(
    Guid PermitId,
    string Credential,
    string VerificationUrl,
    string KeyId,
    int StatusIndex,
    DateTime IssuedAt,
    DateOnly EffectiveUntil,
    int QrVersion);

/// <summary>Body of an online check.</summary>
internal sealed record VerificationRequest(string? Credential, string? Purpose);

/// <summary>What a checker is told: the verdict and the claims a genuine credential carries (masked name only).</summary>
internal sealed record VerificationResponse
{
    public required bool Valid { get; init; }

    /// <summary>Stable reason, e.g. <c>valid</c>, <c>bad-signature</c>, <c>revoked</c>.</summary>
    public required string Reason { get; init; }

    /// <summary>Stable numeric form, <c>SJ-CRED-002</c>.</summary>
    public required string Code { get; init; }

    /// <summary>zh-CN verdict with the date where one applies.</summary>
    public required string Message { get; init; }

    public DateOnly? Date { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public string? MaskedName { get; init; }
    public string? PermitNumber { get; init; }
    public DateOnly? ValidFrom { get; init; }
    public DateOnly? ValidUntil { get; init; }
    public string? Endorsement { get; init; }
    public string? EndorsementLabel { get; init; }
    public DateOnly? NextEndorsementDeadline { get; init; }
    public string? AuthorityCode { get; init; }
    public string? Authority { get; init; }

    public static VerificationResponse From(VerificationResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var c = r.Credential;
        return new VerificationResponse
        {
            Valid = r.IsValid,
            Reason = OnlineVerifier.ReasonCode(r.Reason),
            Code = r.Code,
            Message = r.Message,
            Date = r.Date,
            // The online check read the status from the database: the offline "no list" warning does not apply.
            Warnings = r.Warnings,
            MaskedName = c?.MaskedName,
            PermitNumber = c?.PermitNumber,
            ValidFrom = c?.ValidFrom,
            ValidUntil = c is null || c.ValidUntil == DateOnly.MaxValue ? null : c.ValidUntil,
            Endorsement = c is null ? null : OnlineVerifier.Kebab(c.Endorsement.ToString()),
            EndorsementLabel = c is null ? null : OnlineVerifier.EndorsementLabel(c.Endorsement),
            NextEndorsementDeadline = c?.NextEndorsementDeadline,
            AuthorityCode = c?.Authority.Code,
            Authority = c?.Authority.Name,
        };
    }
}

/// <summary>A key of an authority's ring as the admin sees it (public half only).</summary>
internal sealed record IssuerKeyDto(string KeyId, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt);

internal sealed record IssuerRingDto(string AuthorityCode, string AuthorityName, string? CurrentKeyId, IReadOnlyList<IssuerKeyDto> Keys);

/// <summary>
/// The e-permit's HTTP surface: the holder's credential, online verification (API and the public /v/
/// page), what offline checkers sync (status list, public keys) and key rotation.
/// </summary>
internal static class EPermitEndpoints
{
    public const string PageLimit = "permit-verify-page";

    /// <summary>On the permits group: GET /{id}/credential.</summary>
    public static void MapCredential(RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}/credential", GetCredentialAsync)
            .WithName("GetPermitCredential")
            .WithSummary("电子居住证凭证、核验网址和二维码（?format=png|svg）")
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/permit-verifications", VerifyAsync)
            .WithTags("居住证 Residence permits")
            .WithName("VerifyPermitCredential")
            .NotReplayed()
            .WithSummary("在线核验电子居住证（签名、有效期、签注，及发证机关的撤销和暂停状态）")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        var issuers = app.MapGroup("/api/v1/issuers").WithTags("居住证 Residence permits");
        issuers.MapGet("/{code}/status-list", StatusListAsync)
            .WithName("GetIssuerStatusList")
            .WithSummary("发证机关最新签名的状态列表（离线核验端同步）")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .ProducesProblem(StatusCodes.Status404NotFound);
        issuers.MapGet("/{code}/keys", KeysAsync)
            .WithName("GetIssuerKeys")
            .WithSummary("发证机关公钥环（含已停用密钥，离线核验端同步）")
            .Produces<string>(StatusCodes.Status200OK, "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound);
        issuers.MapPost("/{code}/rotate-key", RotateAsync)
            .WithName("RotateIssuerKey")
            .WithSummary("轮换发证机关签名密钥（旧凭证在其有效期内仍可核验）")
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapGet("/v/{credential}", VerificationPage.RenderAsync)
            .WithName("VerificationPage")
            .ExcludeFromDescription()
            .RequireRateLimiting(PageLimit);
    }

    /// <summary>The base of verification URLs: Sojourn:PublicBaseUrl, else the request's own.</summary>
    public static Uri PublicBase(HttpContext http, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration["Sojourn:PublicBaseUrl"] is { Length: > 0 } configured
            ? new Uri(configured)
            : new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}");
    }

    private static async Task<Results<Ok<CredentialDto>, FileContentHttpResult, ContentHttpResult, ProblemHttpResult>> GetCredentialAsync(
        Guid id, string? format, HttpContext http, Data.SojournDbContext db, PersonalDataLedger ledger, IConfiguration configuration, CancellationToken ct)
    {
        var person = await db.Permits.AsNoTracking().Where(p => p.Id == id)
            .Select(p => new PersonRef(p.PersonIdHmac, p.ResidenceDivisionCode, p.RegistrationId)).FirstOrDefaultAsync(ct);
        if (person is null)
        {
            return ApiProblems.Result(PermitFailures.NotFound());
        }

        var credential = await db.IssuedCredentials.AsNoTracking()
            .Where(c => c.PermitId == id && c.Status == EPermitService.Active)
            .OrderByDescending(c => c.IssuedAt).FirstOrDefaultAsync(ct);
        if (credential is null)
        {
            return ApiProblems.Result(ErrorCode.PermitNoCredential, Messages.Get("Error_PermitNoCredential_Detail"));
        }

        ledger.Read(person, ["credential"]);

        var url = VerificationUrl.Build(PublicBase(http, configuration), credential.Compact);
        return format?.ToLowerInvariant() switch
        {
            "png" => TypedResults.File(CredentialQr.Png(url), "image/png"),
            "svg" => TypedResults.Text(CredentialQr.Svg(url), "image/svg+xml"),
            _ => TypedResults.Ok(new CredentialDto(id, credential.Compact, url, credential.KeyId, credential.StatusIndex,
                credential.IssuedAt, credential.EffectiveUntil, CredentialQr.Version(url))),
        };
    }

    private static async Task<Results<Ok<VerificationResponse>, ProblemHttpResult>> VerifyAsync(
        VerificationRequest request, HttpContext http, OnlineVerifier verifier, AuditRecorder recorder, CurrentActor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var purpose = string.IsNullOrWhiteSpace(request.Purpose) ? AuditRecorder.Purpose(http) : request.Purpose.Trim();
        if (purpose is null && Roles.IsOfficial(http.User.Role() ?? ""))
        {
            // The credential is not read before a purpose is stated: the basis is the caller's jurisdiction's.
            return recorder.PurposeProblem(http, "核验居住证须说明用途：请求体 purpose 或请求头 " + AuditRecorder.PurposeHeader, null);
        }

        var outcome = await verifier.VerifyAsync(request.Credential, ct);
        // The check, and the audit entry naming the person whose permit was checked (declared in the ledger), commit together.
        var recorded = await AuditedOperation.RunAsync(http.RequestServices, actor.Identity, "VerifyPermitCredential", async (services, _, c) =>
        {
            verifier.Record(outcome, "api", http, purpose);
            await services.GetRequiredService<Data.SojournDbContext>().SaveChangesAsync(c);
            if (outcome.Holder is { } holder)
            {
                services.GetRequiredService<PersonalDataLedger>().Read(holder, ["permit.credential"]);
            }

            return Outcome.Success(outcome.Result);
        }, ct);
        return recorded.TryGetValue(out var result, out var failure) ? TypedResults.Ok(VerificationResponse.From(result)) : ApiProblems.Result(failure);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> StatusListAsync(string code, EPermitService epermit, CancellationToken ct)
    {
        var list = await epermit.SignedListAsync(code, ct);
        return list is null ? IssuerNotFound(code) : TypedResults.Text(list, "text/plain; charset=utf-8");
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> KeysAsync(string code, Data.SojournDbContext db, CancellationToken ct)
    {
        var json = await db.IssuerKeys.AsNoTracking().Where(k => k.AuthorityCode == code).Select(k => k.PublicRingJson).FirstOrDefaultAsync(ct);
        return json is null ? IssuerNotFound(code) : TypedResults.Text(json, "application/json; charset=utf-8");
    }

    private static async Task<Results<Ok<IssuerRingDto>, ProblemHttpResult>> RotateAsync(
        string code, HttpContext http, EPermitService epermit, Data.SojournDbContext db, Access.Audit.AuditRecorder recorder, CurrentActor actor,
        CancellationToken ct)
    {
        // The rotation and its audit entry commit together or not at all.
        var rotated = await AuditedOperation.RunAsync(http.RequestServices, actor.Identity, "RotateIssuerKey", async (services, _, c) =>
        {
            var ring = await epermit.RotateAsync(code, c);
            if (ring is null)
            {
                return new Failure(ErrorCode.IssuerNotFound, Messages.Format("Error_IssuerNotFound_Detail", WebUtility.HtmlEncode(code)));
            }

            try
            {
                await db.SaveChangesAsync(c);
            }
            catch (DbUpdateConcurrencyException)
            {
                return new Failure(ErrorCode.StaleVersion, Messages.Format("Error_StaleVersion_Detail", "-"));
            }

            await recorder.RecordAdministrationAsync(actor.Identity, "RotateIssuerKey", "issuer:" + code, c);
            return Outcome.Success(ring);
        }, ct);
        if (!rotated.TryGetValue(out var ring, out var failure))
        {
            return ApiProblems.Result(failure);
        }

        return TypedResults.Ok(new IssuerRingDto(ring.Authority.Code, ring.Authority.Name, ring.Current?.KeyId,
            [.. ring.Keys.Select(k => new IssuerKeyDto(k.KeyId, k.CreatedAt, k.RetiredAt))]));
    }

    private static ProblemHttpResult IssuerNotFound(string code) =>
        ApiProblems.Result(ErrorCode.IssuerNotFound, Messages.Format("Error_IssuerNotFound_Detail", WebUtility.HtmlEncode(code)));
}
