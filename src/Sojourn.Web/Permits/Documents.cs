using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sojourn.Application.PersonalData;
using Sojourn.Credentials;
using Sojourn.Data.Access;
using Sojourn.Data.Permits;
using Sojourn.Documents;
using Sojourn.Rules;
using Sojourn.Rules.Evaluation;
using Sojourn.Rules.Permits;
using Sojourn.Web.Hosting;
using Sojourn.Web.Permits.EPermit;

namespace Sojourn.Web.Permits;

/// <summary>
/// PDFs of a permit (face with the QR code, refusal notice, endorsement record), laid out by
/// <see cref="PermitDocuments"/> and <see cref="PdfRenderer"/>.
/// Dates and articles come from the permit and its history as decided; nothing is computed here.
/// </summary>
internal static class PermitDocumentEndpoints
{
    public static void Map(RouteGroupBuilder permits)
    {
        permits.MapGet("/{id:guid}/documents/face", FaceAsync)
            .WithName("GetPermitFacePdf")
            .WithSummary("居住证卡面（PDF，含核验二维码）")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        permits.MapGet("/{id:guid}/documents/refusal-notice", RefusalAsync)
            .WithName("GetPermitRefusalNoticePdf")
            .WithSummary("不予办理告知书（PDF，仅限不予发放的申请）")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        permits.MapGet("/{id:guid}/documents/endorsement-record", EndorsementRecordAsync)
            .WithName("GetPermitEndorsementRecordPdf")
            .WithSummary("居住证签注记录（PDF）")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> FaceAsync(
        Guid id, HttpContext http, PermitStore store, PersonalDataLedger ledger, IdentityDisclosure disclosure, PdfRendererHolder pdf, IConfiguration configuration, CancellationToken ct)
    {
        var permit = await store.Db.Permits.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (permit is null)
        {
            return ApiProblems.Result(PermitFailures.NotFound());
        }

        if (permit.Status is not (PermitStatus.Valid or PermitStatus.Suspended) || permit.PermitNumber is null || permit.IssuedOn is null)
        {
            return ApiProblems.Result(PermitFailures.WrongStatus(permit, "approve"));
        }

        ledger.Read(PermitMapper.Person(permit), ["document.face", "name", "idNumber", "photo", "residenceAddress", "permitNumber", "dates"]);
        var credential = await store.Db.IssuedCredentials.AsNoTracking()
            .Where(c => c.PermitId == id && c.Status == EPermitService.Active)
            .OrderByDescending(c => c.IssuedAt).Select(c => c.Compact).FirstOrDefaultAsync(ct);
        var photo = permit.PhotoId is { } photoId
            ? await store.Db.RegistrationPhotos.IgnoreQueryFilters().AsNoTracking().Where(p => p.Id == photoId).Select(p => p.Content).FirstOrDefaultAsync(ct)
            : null;
        var face = new PermitFaceData(
            permit.PersonName,
            permit.Sex switch { "male" => "男", "female" => "女", _ => permit.Sex },
            CodeTables.EthnicGroups.NameOf(permit.EthnicGroup) ?? permit.EthnicGroup,
            permit.BirthDate,
            // The card carries the full number (居住证暂行条例 第四条) where the role's view allows it for certificates.
            disclosure.Present(permit.PersonIdMasked, () => store.Protector.Decrypt(permit.PersonIdCipher), DisclosurePurpose.Certificate),
            permit.ResidenceAddress,
            permit.PermitNumber,
            permit.AuthorityName,
            permit.IssuedOn.Value,
            permit.IssuedOn.Value,
            permit.ValidUntil ?? DateOnly.MaxValue,
            Photo: photo,
            QrContent: credential is null ? null : VerificationUrl.Build(EPermitEndpoints.PublicBase(http, configuration), credential),
            AuthorityBasis: store.TermsFor(permit.ResidenceDivisionCode, permit.IssuedOn.Value) is { } terms ? IssuerBasis(terms) : null);
        return pdf.Render(PermitDocuments.PermitFace(face), $"permit-{permit.PermitNumber}.pdf");
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> RefusalAsync(
        Guid id, PermitStore store, PersonalDataLedger ledger, PdfRendererHolder pdf, CancellationToken ct)
    {
        var permit = await store.Db.Permits.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (permit is null)
        {
            return ApiProblems.Result(PermitFailures.NotFound());
        }

        if (permit.Status != PermitStatus.Refused)
        {
            return ApiProblems.Result(PermitFailures.WrongStatus(permit, "refuse"));
        }

        ledger.Read(PermitMapper.Person(permit), ["document.refusal-notice", "name", "refusalReason", "refusalBasis"]);
        var notice = RefusalNotice(permit, store.TermsFor(permit.ResidenceDivisionCode, permit.DecidedOn ?? permit.AppliedOn));
        return pdf.Render(PermitDocuments.RefusalNotice(notice), $"refusal-{permit.Id:N}.pdf");
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> EndorsementRecordAsync(
        Guid id, PermitStore store, PersonalDataLedger ledger, PdfRendererHolder pdf, CancellationToken ct)
    {
        var permit = await store.Db.Permits.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (permit is null)
        {
            return ApiProblems.Result(PermitFailures.NotFound());
        }

        if (permit.PermitNumber is null || permit.IssuedOn is null)
        {
            return ApiProblems.Result(PermitFailures.WrongStatus(permit, "endorse"));
        }

        ledger.Read(PermitMapper.Person(permit), ["document.endorsement-record", "name", "permitNumber", "history"]);

        // An endorsement, or a late one that restored a suspended permit (第十条).
        var events = await store.Db.PermitEvents.AsNoTracking()
            .Where(e => e.PermitId == id && (e.Kind == PermitEventKind.Endorsed || e.Kind == PermitEventKind.Restored))
            .OrderBy(e => e.Number).ToListAsync(ct);
        var entries = new List<EndorsementEntry>();
        var basis = new List<string>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var details = e.Details is null ? null : JsonNode.Parse(e.Details) as JsonObject;
            var year = Int(details, "year") ?? i + 1;
            // The next deadline as the step decided it (details.next.due); the permit's current one for the latest entry.
            var next = Date(details?["next"] as JsonObject, "due")
                ?? (i == events.Count - 1 ? permit.EndorsementDue : null) ?? e.EffectiveOn;
            var remark = e.Kind == PermitEventKind.Restored
                ? "逾期签注，恢复使用" + ((string?)details?["lateEndorsement"] == "from-late-endorsement" ? "；居住年限自签注之日起计算" : "")
                : e.Reason;
            entries.Add(new EndorsementEntry(year, e.EffectiveOn, next, e.Office ?? permit.StationName, remark));
            basis.AddRange((e.Basis ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        var record = new EndorsementRecordData(permit.PermitNumber, permit.PersonName, permit.AuthorityName, permit.IssuedOn.Value,
            entries, Citations(string.Join(',', basis.Distinct(StringComparer.Ordinal))), store.Clock.Today);
        return pdf.Render(PermitDocuments.EndorsementRecord(record), $"endorsements-{permit.PermitNumber}.pdf");
    }

    /// <summary>The issuing organ's basis as printed on the face: the policy's article and its words.</summary>
    public static List<LegalBasis> IssuerBasis(PermitTerms terms) =>
        Citations(terms.IssuedBy.Basis).Select(b => b with { Text = terms.IssuedBy.Note }).ToList();

    /// <summary>
    /// The refusal notice: the reasons (告知申领人，并说明理由 where the policy says so, e.g. 山西2017 第十七条第一款,
    /// cited beside the unmet condition's article) and the remedies the policy states.
    /// </summary>
    public static RefusalNoticeData RefusalNotice(Permit permit, PermitTerms? terms)
    {
        var decidedOn = permit.DecidedOn ?? permit.AppliedOn;
        var basis = Citations(permit.RefusalBasis);
        if (terms?.RefusalReasons is { Value: true } reasons && reasons.Basis.Contains('#', StringComparison.Ordinal))
        {
            basis.AddRange(Citations(reasons.Basis).Where(b => !basis.Contains(b)));
        }

        return new RefusalNoticeData(
            // 文号: the station code and the application's own id keep it unique without a register of its own.
            $"{permit.StationName}居证不字〔{decidedOn.Year.ToString(CultureInfo.InvariantCulture)}〕{permit.Id.ToString("N")[..8]}号",
            permit.PersonName,
            permit.Kind switch
            {
                PermitKind.Renewal => "居住证到期换领",
                PermitKind.Replacement => "居住证损坏换领",
                PermitKind.Reissue => "居住证丢失补领",
                _ => "居住证申领",
            },
            permit.AppliedOn,
            decidedOn,
            [permit.RefusalReason ?? "不符合申领条件。"],
            basis,
            // The remedies and the laws that give them come from the policy (refusalRemedies), never from code.
            terms?.RefusalRemedies.Value ?? [],
            permit.AuthorityName);
    }

    /// <summary><c>shanxi-2017#18,cn-2016#10</c> → 《山西省…》第十八条, 《居住证暂行条例》第十条.</summary>
    internal static List<LegalBasis> Citations(string? basis) =>
        [.. PermitCitations.Parse(basis).Select(c => new LegalBasis(c.Instrument, c.Article))];

    private static int? Int(JsonObject? o, string name) =>
        o?[name] is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;

    private static DateOnly? Date(JsonObject? o, params string[] names)
    {
        foreach (var name in names)
        {
            if (o?[name] is JsonValue v && v.TryGetValue<string>(out var s)
                && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return d;
            }
        }

        return null;
    }
}
