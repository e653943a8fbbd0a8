namespace Sojourn.Data.Permits;

/// <summary>What a station officer records about a permit holder that ends the permit's reason to be.</summary>
public static class HolderFactKind
{
    /// <summary>The holder settled 常住户口 at the residence (山西2017 第十八条第三款).</summary>
    public const string Settled = "settled";

    /// <summary>The holder died (山西2017 第十八条第二款, 山西2013 第十九条, 大同 第二十一条).</summary>
    public const string Died = "died";

    /// <summary>
    /// The current fact was recorded in error (the person did not settle, or is alive): only as a correction of it, with
    /// the reason; the holder then has no fact, and nothing follows from it. <c>On</c> is the day it was withdrawn.
    /// </summary>
    public const string Withdrawn = "withdrawn";

    public static readonly IReadOnlyList<string> All = [Settled, Died, Withdrawn];
}

/// <summary>
/// A fact about a permit holder (the person, by the lookup hash) recorded by a station officer from a document: they
/// settled 常住户口 at the residence on a day, with the registering authority's division, or they died on a day. Its
/// own history: a row is never changed; a correction is a new row that supersedes the old one with a reason, and the
/// current fact of a person is the row nobody supersedes. The compliance sweep reads the current fact
/// (PermitSettlementSource). Jurisdiction: the permit it was recorded on (its residence division and station).
/// </summary>
public sealed class HolderFact
{
    private HolderFact()
    {
    }

    public long Id { get; private set; }
    public string PersonIdHmac { get; private set; } = "";

    /// <summary>The permit on whose page it was recorded; its division and station are the fact's jurisdiction.</summary>
    public Guid PermitId { get; private set; }

    public string ResidenceDivisionCode { get; private set; } = "";
    public string? StationCode { get; private set; }

    /// <summary><see cref="HolderFactKind"/>.</summary>
    public string Kind { get; private set; } = "";

    /// <summary>The day of settling (登记为常住户口之日) or of death.</summary>
    public DateOnly On { get; private set; }

    /// <summary>Settled: the GB/T 2260 division of the 户口登记机关 (null for a death).</summary>
    public string? HukouDivisionCode { get; private set; }

    /// <summary>The source document (落户 notice, 死亡证明, 户口注销 record …) by its reference.</summary>
    public string DocumentRef { get; private set; } = "";

    /// <summary>The row this one corrects; the old row stays as it was.</summary>
    public long? SupersedesId { get; private set; }

    /// <summary>Why the earlier row is corrected (required with <see cref="SupersedesId"/>).</summary>
    public string? Reason { get; private set; }

    public DateOnly RecordedOn { get; private set; }
    public DateTime RecordedAt { get; private set; }

    /// <summary>Who recorded it, as <c>role:userName</c>.</summary>
    public string RecordedBy { get; private set; } = "";

    /// <summary>Records a fact on <paramref name="permit"/>'s holder (the caller has checked the values).</summary>
    public static HolderFact Record(
        Permit permit, string kind, DateOnly on, string? hukouDivisionCode, string documentRef, HolderFact? supersedes, string? reason,
        DateOnly today, DateTime now, string actor)
    {
        ArgumentNullException.ThrowIfNull(permit);
        return new HolderFact
        {
            PersonIdHmac = permit.PersonIdHmac,
            PermitId = permit.Id,
            ResidenceDivisionCode = permit.ResidenceDivisionCode,
            StationCode = permit.StationCode,
            Kind = kind,
            On = on,
            HukouDivisionCode = kind == HolderFactKind.Settled ? hukouDivisionCode : null,
            DocumentRef = documentRef,
            SupersedesId = supersedes?.Id,
            Reason = supersedes is null ? null : reason,
            RecordedOn = today,
            RecordedAt = now,
            RecordedBy = actor,
        };
    }
}
