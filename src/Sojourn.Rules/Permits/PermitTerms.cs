using Sojourn.Rules.Periods;

namespace Sojourn.Rules.Permits;

/// <summary>A resolved value with its basis in the contract's form (<c>shanxi-2017#18</c>) and an optional note.</summary>
public sealed record Cited<T>(T Value, string Basis, string? Note = null);

/// <summary>What a missed endorsement does to the permit.</summary>
public enum LapseEffect
{
    /// <summary>Suspended until endorsed late (cn-2016 第十条: 不能享受相关的基本公共服务和便利).</summary>
    Suspended,

    /// <summary>The permit is void (废止, shanxi-2013 第十八條).</summary>
    Void,
}

/// <summary>How residence years count after a late endorsement.</summary>
public enum LateEndorsementYears
{
    /// <summary>Counted afresh from the day of the late endorsement (cn-2016 第十条).</summary>
    FromLateEndorsement,

    /// <summary>Counted continuously (连续计算, shanxi-2013 第十八條).</summary>
    Continuous,
}

/// <summary>
/// The legal values of a residence permit's lifecycle under one policy chain (city over province
/// over nation), each with the basis of the layer that set it. Values come from the policy YAML
/// (<c>duties</c>, <c>permit</c> and <c>lifecycle</c>; see Policies/README.md), never from code.
/// </summary>
public sealed record PermitTerms
{
    /// <summary>The most specific policy of the chain.</summary>
    public required string PolicyId { get; init; }

    /// <summary>Every layer used, most specific first (as the evaluation's <c>policies</c>).</summary>
    public required IReadOnlyList<string> Policies { get; init; }

    /// <summary>The residence division the terms were resolved for (its working-day calendar dates them).</summary>
    public string? ResidenceDivision { get; init; }

    /// <summary>Engine version (as the evaluation's <c>engine.version</c>).</summary>
    public required string EngineVersion { get; init; }

    /// <summary>Content hash per policy id (as the evaluation's <c>engine.policyHashes</c>).</summary>
    public required IReadOnlyDictionary<string, string> PolicyHashes { get; init; }

    /// <summary>Issuance deadline from acceptance (<c>station.issue-permit</c>).</summary>
    public required Cited<Period> IssueWithin { get; init; }

    /// <summary>Issuance deadline in remote areas; null when the ordinary one applies.</summary>
    public Cited<Period>? IssueWithinRemote { get; init; }

    /// <summary>Validity from issue; null = no expiry.</summary>
    public Cited<Period>? Validity { get; init; }

    /// <summary>Endorsement recurrence (annual).</summary>
    public required Cited<Period> EndorseEvery { get; init; }

    /// <summary>How long before each anniversary the endorsement may be done.</summary>
    public required Cited<Period> EndorseWindow { get; init; }

    /// <summary>Effect of a missed endorsement.</summary>
    public required Cited<LapseEffect> MissedEndorsement { get; init; }

    /// <summary>How residence years count after a late endorsement.</summary>
    public required Cited<LateEndorsementYears> LateEndorsement { get; init; }

    /// <summary>Period to report a change of address or workplace; null when none is set.</summary>
    public Cited<Period>? ChangeWithin { get; init; }

    /// <summary>Whether a move to another station's area must first close the old registration.</summary>
    public required Cited<bool> CrossStationClosesOldRegistration { get; init; }

    /// <summary>Cancellation on leaving: within this period before leaving; null when none is set.</summary>
    public Cited<Period>? CancelBeforeLeaving { get; init; }

    /// <summary>Cancellation after settling household registration; null when none is set.</summary>
    public Cited<Period>? CancelAfterSettling { get; init; }

    /// <summary>Who may report a holder's death (ids: <c>close-relative</c>, <c>landlord</c>, <c>employer</c>).</summary>
    public required Cited<IReadOnlyList<string>> DeathReportedBy { get; init; }

    /// <summary>Cancellation within this period after the holder's death; null when no layer states one (山西: silent).</summary>
    public Cited<Period>? CancelAfterDeath { get; init; }

    /// <summary>A holder back within this period keeps the permit (不办理注销); null: no exception.</summary>
    public Cited<Period>? ReturnException { get; init; }

    /// <summary>Renewal may be applied for only within this period before expiry (「期满前N日内」, a window); null: none set.</summary>
    public Cited<Period>? RenewWithin { get; init; }

    /// <summary>Renewal is due no later than this period before expiry (「期满N日前」, a deadline); null: none set.</summary>
    public Cited<Period>? RenewBy { get; init; }

    /// <summary>Fee per operation id (<c>first-issue</c>, <c>renewal</c>, <c>replacement</c>, <c>reissue</c>, <c>endorsement</c>): 0, yuan, or null = card fee set elsewhere.</summary>
    public required IReadOnlyDictionary<string, Cited<int?>> Fees { get; init; }

    /// <summary>Below this age a guardian or close relative may apply on the person's behalf (ground <c>minor</c>); null: no age-based proxy.</summary>
    public Cited<int>? ProxyUnderAge { get; init; }

    /// <summary>Who may apply on someone's behalf (ids: <c>guardian</c>, <c>close-relative</c>); empty: nobody.</summary>
    public required Cited<IReadOnlyList<string>> ProxyRelations { get; init; }

    /// <summary>Grounds a proxy application may state (<c>minor</c>, <c>elderly-limited-mobility</c>, <c>disabled-limited-mobility</c>); empty: none.</summary>
    public required Cited<IReadOnlyList<string>> ProxyGrounds { get; init; }

    /// <summary>Materials the application needs: Value = material id, Note = zh-CN label.</summary>
    public required IReadOnlyList<Cited<string>> Materials { get; init; }

    /// <summary>Whether permits and 暂住证 issued under an earlier policy stay valid until their own expiry.</summary>
    public required Cited<bool> EarlierPermitsStayValid { get; init; }

    /// <summary>Grounds to cancel and confiscate (收缴) the permit: Value = ground id, Note = the policy's note; merged by id across layers.</summary>
    public required IReadOnlyList<Cited<string>> ConfiscationGrounds { get; init; }

    /// <summary>One person, one permit (一人一证): the article, or the policy alone where silent (the constraint is then a decision).</summary>
    public required Cited<bool> OnePermitPerPerson { get; init; }

    /// <summary>Whether the old card must be handed back on replacement (换领).</summary>
    public required Cited<bool> ReplacementReturnsOldCard { get; init; }

    /// <summary>The issuing organ: <c>county-public-security-bureau</c> (县级人民政府公安机关) or <c>public-security-organ</c>.</summary>
    public required Cited<string> IssuedBy { get; init; }

    /// <summary>What an endorsement requires: still meeting the conditions and handing in the materials (台州 二(三)2).</summary>
    public required Cited<Loading.EndorsementRequirement> EndorsementRequires { get; init; }

    /// <summary>A refusal states its reasons (山西2017 第十七条: 告知申领人，并说明理由).</summary>
    public required Cited<bool> RefusalReasons { get; init; }

    /// <summary>The remedies a refusal notice states, as zh-CN sentences from the policy.</summary>
    public required Cited<IReadOnlyList<string>> RefusalRemedies { get; init; }
}
