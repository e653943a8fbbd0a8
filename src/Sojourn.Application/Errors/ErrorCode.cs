namespace Sojourn.Application.Errors;

/// <summary>
/// The one error catalogue: every failure a use case returns, and so every error the API answers with,
/// has a numeric <c>errorCode</c> (in ProblemDetails), an HTTP status and a title in Resources/Messages.
/// Clients and tests never match on message text. Codes are never reused.
/// </summary>
public sealed record ErrorCode(int Code, int Status, string TitleKey)
{
    public static readonly ErrorCode Unexpected = new(10000, 500, "Error_Unexpected");
    public static readonly ErrorCode ValidationFailed = new(10001, 400, "Error_ValidationFailed");
    public static readonly ErrorCode MalformedRequest = new(10002, 400, "Error_MalformedRequest");
    public static readonly ErrorCode PreconditionRequired = new(10003, 428, "Error_PreconditionRequired");
    public static readonly ErrorCode StaleVersion = new(10004, 409, "Error_StaleVersion");
    public static readonly ErrorCode IdempotencyKeyReused = new(10005, 422, "Error_IdempotencyKeyReused");
    public static readonly ErrorCode IdempotencyInProgress = new(10006, 409, "Error_IdempotencyInProgress");
    public static readonly ErrorCode UnsupportedMediaType = new(10007, 415, "Error_UnsupportedMediaType");

    // Input hardening (10040–10049).
    public static readonly ErrorCode OutsideJurisdiction = new(10040, 403, "Error_OutsideJurisdiction");
    public static readonly ErrorCode UnsafeText = new(10041, 400, "Error_ValidationFailed");
    public static readonly ErrorCode TooManyCases = new(10042, 413, "Error_TooManyCases");

    public static readonly ErrorCode RegistrationNotFound = new(20001, 404, "Error_RegistrationNotFound");
    public static readonly ErrorCode OpenStayExists = new(20002, 409, "Error_OpenStayExists");
    public static readonly ErrorCode RegistrationEnded = new(20003, 409, "Error_RegistrationEnded");
    public static readonly ErrorCode AlreadyConfirmed = new(20004, 409, "Error_AlreadyConfirmed");
    public static readonly ErrorCode PhotoNotFound = new(20005, 404, "Error_PhotoNotFound");

    public static readonly ErrorCode PermitNotFound = new(40001, 404, "Error_PermitNotFound");
    public static readonly ErrorCode PermitAlreadyHeld = new(40002, 409, "Error_PermitAlreadyHeld");
    public static readonly ErrorCode PermitNotEligible = new(40003, 422, "Error_PermitNotEligible");
    public static readonly ErrorCode PermitWrongStatus = new(40004, 409, "Error_PermitWrongStatus");
    public static readonly ErrorCode PermitNoPolicy = new(40005, 422, "Error_PermitNoPolicy");
    public static readonly ErrorCode PermitOutsideWindow = new(40006, 422, "Error_PermitOutsideWindow");
    public static readonly ErrorCode PermitRegistrationNotConfirmed = new(40007, 409, "Error_PermitRegistrationNotConfirmed");

    // Permit steps after issue (40070–40089): change, departure, cancellation, renewal, replacement, transitional.
    public static readonly ErrorCode PermitReturnExceptionRunning = new(40070, 409, "Error_PermitReturnExceptionRunning");
    public static readonly ErrorCode PermitOldRegistrationOpen = new(40071, 409, "Error_PermitOldRegistrationOpen");
    public static readonly ErrorCode PermitNoExpiry = new(40072, 409, "Error_PermitNoExpiry");
    public static readonly ErrorCode PermitCardNotSurrendered = new(40073, 422, "Error_PermitCardNotSurrendered");
    public static readonly ErrorCode PermitStepNotAllowed = new(40074, 403, "Error_PermitStepNotAllowed");
    public static readonly ErrorCode PermitTransitionalNotAllowed = new(40075, 422, "Error_PermitTransitionalNotAllowed");
    public static readonly ErrorCode PermitRenewalPending = new(40076, 409, "Error_PermitRenewalPending");
    public static readonly ErrorCode PermitMoveOutsideCity = new(40077, 422, "Error_PermitMoveOutsideCity");
    public static readonly ErrorCode PermitDepartureState = new(40078, 409, "Error_PermitDepartureState");
    public static readonly ErrorCode PermitNoConfiscationBasis = new(40085, 422, "Error_PermitNoConfiscationBasis");

    // E-permit (40050–40069): credential, issuers, documents.
    public static readonly ErrorCode PermitNoCredential = new(40050, 409, "Error_PermitNoCredential");
    public static readonly ErrorCode IssuerNotFound = new(40051, 404, "Error_IssuerNotFound");
    public static readonly ErrorCode DocumentUnavailable = new(40052, 503, "Error_DocumentUnavailable");

    // Compliance cases (70001–70019; area: compliance, docs/adr/0009-compliance.md).
    public static readonly ErrorCode CaseNotFound = new(70001, 404, "Error_CaseNotFound");
    public static readonly ErrorCode CaseWrongState = new(70002, 409, "Error_CaseWrongState");
    public static readonly ErrorCode FineOutsideRange = new(70003, 422, "Error_FineOutsideRange");
    public static readonly ErrorCode SanctionNotAllowed = new(70004, 422, "Error_SanctionNotAllowed");
    public static readonly ErrorCode FineOnlyAfterIgnoredOrder = new(70005, 409, "Error_FineOnlyAfterIgnoredOrder");

    // Settled or died (issue 14, branch settle; picked from the end of the compliance range).
    public static readonly ErrorCode HolderFactConflict = new(70030, 409, "Error_HolderFactConflict");

    // Houses and rooms (73001–73019; 以房找人、以人找房, docs/adr/0009-compliance.md).
    public static readonly ErrorCode HouseNotFound = new(73001, 404, "Error_HouseNotFound");

    // Audit log verification (60001–60019; area: audit, docs/adr/0006-audit-log-sequencer.md). Values = Data.Audit.AuditFault.
    public static readonly ErrorCode AuditEntryAltered = new(60001, 409, "Error_AuditEntryAltered");
    public static readonly ErrorCode AuditEntryMissing = new(60002, 409, "Error_AuditEntryMissing");
    public static readonly ErrorCode AuditLinkBroken = new(60003, 409, "Error_AuditLinkBroken");
    public static readonly ErrorCode AuditHeadMismatch = new(60004, 409, "Error_AuditHeadMismatch");
    public static readonly ErrorCode AuditTruncated = new(60005, 409, "Error_AuditTruncated");
    public static readonly ErrorCode AuditCheckpointMissing = new(60006, 409, "Error_AuditCheckpointMissing");
    public static readonly ErrorCode AuditCheckpointForeign = new(60007, 409, "Error_AuditCheckpointForeign");
    public static readonly ErrorCode AuditMerkleMismatch = new(60008, 409, "Error_AuditMerkleMismatch");
    // Access (30001–30039): purpose, sign-in, accounts, tokens. 30004 and 30005 (a missing or wrong one-time code,
    // before every sign-in failure became 30002) are retired and never reused.
    public static readonly ErrorCode PurposeMissing = new(30001, 400, "Error_PurposeMissing");
    public static readonly ErrorCode SignInFailed = new(30002, 401, "Error_SignInFailed");
    public static readonly ErrorCode SignInBackOff = new(30003, 429, "Error_SignInBackOff");
    public static readonly ErrorCode DeclareForSelfOnly = new(30006, 403, "Error_DeclareForSelfOnly");
    public static readonly ErrorCode TokenNotFound = new(30010, 404, "Error_TokenNotFound");
    public static readonly ErrorCode AccountNotFound = new(30011, 404, "Error_AccountNotFound");
    public static readonly ErrorCode CannotLockSelf = new(30012, 409, "Error_CannotLockSelf");
    public static readonly ErrorCode TokenCannotIssueToken = new(30020, 403, "Error_TokenCannotIssueToken");
    public static readonly ErrorCode SecondFactorSessionRequired = new(30021, 403, "Error_SecondFactorSessionRequired");
    public static readonly ErrorCode AccountStateConflict = new(30023, 409, "Error_AccountStateConflict");
    public static readonly ErrorCode NoPendingAccountChange = new(30024, 409, "Error_NoPendingAccountChange");
    public static readonly ErrorCode OwnApprovalRefused = new(30025, 403, "Error_OwnApprovalRefused");
    public static readonly ErrorCode OutsideApprovalReach = new(30026, 403, "Error_OutsideApprovalReach");
    public static readonly ErrorCode AccountPendingApproval = new(30027, 409, "Error_AccountPendingApproval");
    public static readonly ErrorCode PurposeUnknown = new(30007, 400, "Error_PurposeUnknown");

    // Reporting by third parties (71001–71039; issue 14, docs/adr/0008-reporting.md).
    public static readonly ErrorCode EstablishmentNotYours = new(71001, 403, "Error_EstablishmentNotYours");
    public static readonly ErrorCode ImportFileInvalid = new(71002, 400, "Error_ImportFileInvalid");
    public static readonly ErrorCode ImportNotFound = new(71003, 404, "Error_ImportNotFound");

    // Public tip-offs and leads (72001–72019; issue 14, docs/adr/0008-reporting.md).
    public static readonly ErrorCode LeadNotFound = new(72001, 404, "Error_LeadNotFound");
    public static readonly ErrorCode LeadClosed = new(72002, 409, "Error_LeadClosed");
    public static readonly ErrorCode NoStationForAddress = new(72003, 422, "Error_NoStationForAddress");
    public static readonly ErrorCode TipOffTooFrequent = new(72004, 429, "Error_TipOffTooFrequent");
}
