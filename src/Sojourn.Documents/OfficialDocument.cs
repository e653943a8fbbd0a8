namespace Sojourn.Documents;

/// <summary>The documents Sojourn prints.</summary>
public enum DocumentKind
{
    /// <summary>居住证（卡面）: card-sized page, photo and QR.</summary>
    PermitFace,

    /// <summary>居住登记凭证.</summary>
    RegistrationCertificate,

    /// <summary>不予办理告知书 (告知并说明理由，引用条款).</summary>
    RefusalNotice,

    /// <summary>居住证签注记录.</summary>
    EndorsementRecord,

    /// <summary>责令改正通知书 (责令限期改正, with the time limit).</summary>
    CorrectionOrder,

    /// <summary>行政处罚决定书 (facts, basis, decision, remedies).</summary>
    PenaltyDecision,
}

/// <summary>One labelled value, e.g. 姓名 / 张三明.</summary>
public sealed record DocumentField(string Label, string Value);

/// <summary>
/// The legal basis a document cites: instrument, article and (optionally) the text relied on, e.g.
/// 《居住证暂行条例》 第二条 “……”. Comes from the policy that decided the case.
/// </summary>
public sealed record LegalBasis(string Instrument, string Article, string? Text = null)
{
    public override string ToString() => Text is null ? $"{Instrument}{Article}" : $"{Instrument}{Article}：{Text}";
}

/// <summary>
/// A printable document as plain data: whoever issues it fills the record, the renderer
/// (<see cref="PdfRenderer"/>) lays it out. Nothing here computes a date or picks an article: those
/// arrive from the rules engine already decided.
/// </summary>
public sealed record OfficialDocument
{
    public required DocumentKind Kind { get; init; }

    /// <summary>Centred heading, e.g. 不予办理告知书.</summary>
    public required string Title { get; init; }

    /// <summary>Issuing organ, printed above the title and beside the seal.</summary>
    public required string Issuer { get; init; }

    /// <summary>文号 or certificate number, e.g. 鼓公（居）不字〔2026〕第15号.</summary>
    public string? DocumentNumber { get; init; }

    /// <summary>Addressee line of a notice, e.g. 张三明：.</summary>
    public string? Recipient { get; init; }

    /// <summary>Body paragraphs, in order.</summary>
    public IReadOnlyList<string> Paragraphs { get; init; } = [];

    /// <summary>Labelled values, printed as a table.</summary>
    public IReadOnlyList<DocumentField> Fields { get; init; } = [];

    /// <summary>Rows of a table with a header (e.g. endorsement history); empty when none.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Table { get; init; } = [];

    /// <summary>Articles cited, printed under 法律依据.</summary>
    public IReadOnlyList<LegalBasis> Basis { get; init; } = [];

    /// <summary>Closing notes (e.g. the right to review or sue, with the period from the policy).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Date of issue, printed under the issuer.</summary>
    public required DateOnly IssuedOn { get; init; }

    /// <summary>
    /// Text of the QR code (the credential or its verification URL); drawn as vector modules, so it
    /// stays sharp at any print resolution.
    /// </summary>
    public string? QrContent { get; init; }

    /// <summary>Caption under the QR code.</summary>
    public string QrCaption { get; init; } = "扫码核验";

    /// <summary>Holder photo for the permit face: JPEG, or PNG with 8-bit colour (PDFsharp reads no 1-bit PNG).</summary>
    public ReadOnlyMemory<byte>? Photo { get; init; }
}
