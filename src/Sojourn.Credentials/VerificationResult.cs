using System.Globalization;

namespace Sojourn.Credentials;

/// <summary>
/// Why a credential is or is not valid. The numbers are stable (for API clients, logs and tests);
/// never match on the message text.
/// </summary>
public enum VerificationReason
{
    Valid = 0,
    Malformed = 1,
    BadSignature = 2,
    UnknownKey = 3,
    EndorsementLapsed = 4,
    PermitExpired = 5,
    NotYetValid = 6,
    Revoked = 7,
    Suspended = 8,
    PhotoMismatch = 9,
    KeyRetired = 10,
    StatusListInvalid = 11,

    /// <summary>Offline, no status list given: revocation unknown, so not accepted (unless the checker says otherwise).</summary>
    StatusListMissing = 12,

    /// <summary>Offline, the status list is past its <c>validUntil</c>: a later revocation may be missing.</summary>
    StatusListExpired = 13,
}

/// <summary>The signed status list a verdict relied on: when it was issued, until when, and how old it was.</summary>
public sealed record StatusListFreshness(DateTimeOffset IssuedAt, DateTimeOffset ValidUntil, TimeSpan Age, bool Expired)
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    /// <summary>The age in zh-CN words, e.g. <c>3天5小时</c>, <c>2小时10分钟</c>.</summary>
    public string AgeText => FormatAge(Age);

    /// <summary>One zh-CN line: issue time, age, validity.</summary>
    public string Describe() =>
        $"签发于 {IssuedAt.ToOffset(ChinaStandardTime):yyyy-MM-dd HH:mm}（{AgeText}前），有效至 {ValidUntil.ToOffset(ChinaStandardTime):yyyy-MM-dd HH:mm}{(Expired ? "，已过期" : "")}";

    public static string FormatAge(TimeSpan age)
    {
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        return age.TotalDays >= 1
            ? $"{(int)age.TotalDays}天{age.Hours}小时"
            : age.TotalHours >= 1 ? $"{(int)age.TotalHours}小时{age.Minutes}分钟" : $"{(int)age.TotalMinutes}分钟";
    }
}

/// <summary>
/// The verdict of an offline check: the reason, a zh-CN message (with the date where one applies),
/// the claims when the signature held, and warnings that do not invalidate (a stale status list).
/// </summary>
public sealed record VerificationResult
{
    public required VerificationReason Reason { get; init; }

    public bool IsValid => Reason == VerificationReason.Valid;

    /// <summary>Stable code, e.g. <c>SJ-CRED-004</c>.</summary>
    public string Code => "SJ-CRED-" + ((int)Reason).ToString("D3", CultureInfo.InvariantCulture);

    public required string Message { get; init; }

    /// <summary>The date the reason refers to (lapse, expiry, start), if any.</summary>
    public DateOnly? Date { get; init; }

    /// <summary>Claims of a credential whose signature verified; null otherwise.</summary>
    public PermitCredential? Credential { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The status list checked (offline), with its age; null when none was given or it did not verify.</summary>
    public StatusListFreshness? StatusList { get; init; }

    internal static VerificationResult Of(VerificationReason reason, PermitCredential? credential = null, DateOnly? date = null, string? detail = null) => new()
    {
        Reason = reason,
        Credential = credential,
        Date = date,
        Message = MessageFor(reason, date, detail),
    };

    internal static string D(DateOnly d) => d.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    private static string MessageFor(VerificationReason reason, DateOnly? date, string? detail) => reason switch
    {
        VerificationReason.Valid => "有效：签名正确，在有效期内，未被撤销。",
        VerificationReason.Malformed => "无法识别：不是本系统签发的电子居住证凭证，或内容不完整。",
        VerificationReason.BadSignature => "无效：签名校验失败，凭证内容可能被篡改或伪造。",
        VerificationReason.UnknownKey => "无效：签名密钥不在受信任的发证机关密钥中（" + detail + "）。",
        // Offline, without the policy: suspended or void depends on the jurisdiction's lapse effect, which the
        // online check (Sojourn.Web OnlineVerifier) adds with its article.
        VerificationReason.EndorsementLapsed => $"无效：未在{D(date!.Value)}前办理签注。",
        VerificationReason.PermitExpired => $"无效：居住证有效期已于{D(date!.Value)}届满。",
        VerificationReason.NotYetValid => $"无效：凭证自{D(date!.Value)}起才生效。",
        VerificationReason.Revoked => "无效：该凭证已被发证机关撤销。",
        VerificationReason.Suspended => "无效：该凭证已被发证机关暂停使用。",
        VerificationReason.PhotoMismatch => "无效：持证人照片与凭证记载的照片摘要不符。",
        VerificationReason.KeyRetired => "无效：凭证签发时该签名密钥已停用（" + detail + "）。",
        VerificationReason.StatusListInvalid => "无法核验撤销状态：" + detail,
        VerificationReason.StatusListMissing => "不予确认：未提供发证机关的状态列表，无法核验凭证是否已被撤销。请先同步状态列表。",
        VerificationReason.StatusListExpired => "不予确认：状态列表已过期（" + detail + "），其后的撤销可能未包含在内。请同步最新的状态列表。",
        _ => reason.ToString(),
    };
}
