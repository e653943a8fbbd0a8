using System.Globalization;

namespace Sojourn.Documents;

/// <summary>What a compliance notice states: the party, the facts, the duty's and the sanction's articles (already cited).</summary>
public sealed record ComplianceNoticeData(
    string Authority,
    string DocumentNumber,
    string PartyName,
    string? PartyIdMasked,
    string? Address,
    string Facts,
    IReadOnlyList<LegalBasis> DutyBasis,
    IReadOnlyList<LegalBasis> SanctionBasis,
    DateOnly IssuedOn);

/// <summary>The two notices of a compliance case, as plain data for <see cref="PdfRenderer"/>.</summary>
public static class ComplianceDocuments
{
    /// <summary>责令改正通知书: the facts, the duty and the order's article, and the day by which to correct.</summary>
    public static OfficialDocument CorrectionOrder(ComplianceNoticeData d, DateOnly correctBy, string? consequence)
    {
        ArgumentNullException.ThrowIfNull(d);
        var duty = Cite(d.DutyBasis);
        var sanction = Cite(d.SanctionBasis);
        var paragraphs = new List<string>
        {
            $"经查，{d.Facts}",
            $"上述行为违反了{duty}的规定。依据{sanction}的规定，现责令你于{Day(correctBy)}前改正。",
        };
        if (consequence is not null)
        {
            paragraphs.Add(consequence);
        }

        return new OfficialDocument
        {
            Kind = DocumentKind.CorrectionOrder,
            Title = "责令改正通知书",
            Issuer = d.Authority,
            DocumentNumber = d.DocumentNumber,
            Recipient = d.PartyName + "：",
            Paragraphs = paragraphs,
            Fields = Party(d),
            Basis = [.. d.DutyBasis, .. d.SanctionBasis],
            IssuedOn = d.IssuedOn,
        };
    }

    /// <summary>行政处罚决定书: the facts, the basis, the decision, and the party's remedies with their statutes.</summary>
    public static OfficialDocument PenaltyDecision(ComplianceNoticeData d, string decision, IReadOnlyList<string> remedies)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(remedies);
        return new OfficialDocument
        {
            Kind = DocumentKind.PenaltyDecision,
            Title = "行政处罚决定书",
            Issuer = d.Authority,
            DocumentNumber = d.DocumentNumber,
            Recipient = d.PartyName + "：",
            Paragraphs =
            [
                $"经查，{d.Facts}",
                $"上述行为违反了{Cite(d.DutyBasis)}的规定。依据{Cite(d.SanctionBasis)}的规定，决定如下：",
                decision,
            ],
            Fields = Party(d),
            Basis = [.. d.DutyBasis, .. d.SanctionBasis],
            Notes = remedies,
            IssuedOn = d.IssuedOn,
        };
    }

    /// <summary>A date as notices print it: 2026年6月15日.</summary>
    public static string Day(DateOnly day) => day.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    private static string Cite(IReadOnlyList<LegalBasis> basis) => string.Join("、", basis.Select(b => b.Instrument + b.Article));

    private static List<DocumentField> Party(ComplianceNoticeData d)
    {
        var fields = new List<DocumentField> { new("当事人", d.PartyName) };
        if (d.PartyIdMasked is not null)
        {
            fields.Add(new DocumentField("身份证号码", d.PartyIdMasked));
        }

        if (d.Address is not null)
        {
            fields.Add(new DocumentField("居住地址", d.Address));
        }

        return fields;
    }
}
