using System.Globalization;

namespace Sojourn.Documents;

/// <summary>Data printed on the permit face (居住证暂行条例 第四条).</summary>
public sealed record PermitFaceData(
    string Name,
    string Sex,
    string Ethnicity,
    DateOnly BirthDate,
    string CitizenId,
    string Address,
    string PermitNumber,
    string Authority,
    DateOnly IssuedOn,
    DateOnly ValidFrom,
    DateOnly ValidUntil,
    ReadOnlyMemory<byte>? Photo = null,
    string? QrContent = null,
    IReadOnlyList<LegalBasis>? AuthorityBasis = null);

/// <summary>Data of a residence registration certificate (居住登记凭证).</summary>
public sealed record RegistrationCertificateData(
    string CertificateNumber,
    string Name,
    string CitizenId,
    string Address,
    DateOnly RegisteredOn,
    string Station,
    IReadOnlyList<LegalBasis> Basis,
    IReadOnlyList<string> Notes,
    string? QrContent = null);

/// <summary>
/// Data of a refusal notice: the decision must tell the applicant and give reasons with the
/// article (告知并说明理由); <paramref name="Remedies"/> carries the review/lawsuit rights with their
/// periods as text from the policy, never as a number in code.
/// </summary>
public sealed record RefusalNoticeData(
    string DocumentNumber,
    string ApplicantName,
    string Application,
    DateOnly ReceivedOn,
    DateOnly DecidedOn,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<LegalBasis> Basis,
    IReadOnlyList<string> Remedies,
    string Authority);

/// <summary>One annual endorsement (第十条).</summary>
/// <remarks><paramref name="Remark"/> e.g. a late endorsement and how years of residence then count, from the policy.</remarks>
public sealed record EndorsementEntry(int Year, DateOnly EndorsedOn, DateOnly NextDeadline, string Station, string? Remark = null);

/// <summary>Data of a permit's endorsement record (签注记录).</summary>
public sealed record EndorsementRecordData(
    string PermitNumber,
    string Name,
    string Authority,
    DateOnly IssuedOn,
    IReadOnlyList<EndorsementEntry> Entries,
    IReadOnlyList<LegalBasis> Basis,
    DateOnly PrintedOn);

/// <summary>Fills <see cref="OfficialDocument"/> for each kind; the lifecycle only supplies data.</summary>
public static class PermitDocuments
{
    public static OfficialDocument PermitFace(PermitFaceData d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new OfficialDocument
        {
            Kind = DocumentKind.PermitFace,
            Title = "居住证",
            Issuer = d.Authority,
            DocumentNumber = d.PermitNumber,
            Fields =
            [
                new("姓名", d.Name),
                new("性别", d.Sex),
                new("民族", d.Ethnicity),
                new("出生", D(d.BirthDate)),
                new("住址", d.Address),
                new("公民身份号码", d.CitizenId),
                new("签发机关", d.Authority),
                new("有效期限", $"{Dot(d.ValidFrom)}-{Dot(d.ValidUntil)}"),
            ],
            IssuedOn = d.IssuedOn,
            Photo = d.Photo,
            QrContent = d.QrContent,
            // Who may issue, per the policy in force (县级人民政府公安机关签发 where the text says so).
            Basis = d.AuthorityBasis ?? [],
        };
    }

    public static OfficialDocument RegistrationCertificate(RegistrationCertificateData d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new OfficialDocument
        {
            Kind = DocumentKind.RegistrationCertificate,
            Title = "居住登记凭证",
            Issuer = d.Station,
            DocumentNumber = "编号：" + d.CertificateNumber,
            Paragraphs = [$"{d.Name}已于{D(d.RegisteredOn)}在本单位办理居住登记，特此证明。"],
            Fields =
            [
                new("姓名", d.Name),
                new("公民身份号码", d.CitizenId),
                new("居住地址", d.Address),
                new("登记日期", D(d.RegisteredOn)),
                new("登记单位", d.Station),
            ],
            Basis = d.Basis,
            Notes = d.Notes,
            IssuedOn = d.RegisteredOn,
            QrContent = d.QrContent,
        };
    }

    public static OfficialDocument RefusalNotice(RefusalNoticeData d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var cited = string.Join("、", d.Basis.Select(b => b.Instrument + b.Article));
        var paragraphs = new List<string>
        {
            $"你于{D(d.ReceivedOn)}提出的{d.Application}申请，经审查，决定不予办理。理由如下：",
        };
        paragraphs.AddRange(d.Reasons.Select((r, i) => $"{ToChineseOrdinal(i + 1)}、{r}"));
        paragraphs.Add($"依据{cited}的规定，特此告知。");
        return new OfficialDocument
        {
            Kind = DocumentKind.RefusalNotice,
            Title = "不予办理告知书",
            Issuer = d.Authority,
            DocumentNumber = d.DocumentNumber,
            Recipient = d.ApplicantName + "：",
            Paragraphs = paragraphs,
            Basis = d.Basis,
            Notes = d.Remedies,
            IssuedOn = d.DecidedOn,
        };
    }

    public static OfficialDocument EndorsementRecord(EndorsementRecordData d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var rows = new List<IReadOnlyList<string>> { EndorsementHeader };
        rows.AddRange(d.Entries.Select(e => (IReadOnlyList<string>)
            [$"第{e.Year.ToString(CultureInfo.InvariantCulture)}年", D(e.EndorsedOn), D(e.NextDeadline), e.Station, e.Remark ?? ""]));
        return new OfficialDocument
        {
            Kind = DocumentKind.EndorsementRecord,
            Title = "居住证签注记录",
            Issuer = d.Authority,
            DocumentNumber = "居住证号码：" + d.PermitNumber,
            Fields = [new("持证人", d.Name), new("签发日期", D(d.IssuedOn)), new("签注次数", d.Entries.Count.ToString(CultureInfo.InvariantCulture))],
            Table = rows,
            Basis = d.Basis,
            IssuedOn = d.PrintedOn,
        };
    }

    private static readonly string[] EndorsementHeader = ["签注年度", "签注日期", "下次签注截止", "签注单位", "备注"];

    internal static string D(DateOnly d) => d.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    private static string Dot(DateOnly d) => d.ToString("yyyy.MM.dd", CultureInfo.InvariantCulture);

    private static readonly string[] Digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

    private static string ToChineseOrdinal(int n)
    {
        return n <= 10 ? Digits[n] : n < 20 ? "十" + Digits[n - 10] : n.ToString(CultureInfo.InvariantCulture);
    }
}
