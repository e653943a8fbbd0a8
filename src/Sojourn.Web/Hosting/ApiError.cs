namespace Sojourn.Web.Hosting;

/// <summary>
/// The stable error catalogue: every error the API returns has a numeric <c>errorCode</c> in its
/// ProblemDetails, so clients and tests never match on message text. Codes are never reused.
/// </summary>
public sealed record ApiError(int Code, int Status, string TitleKey)
{
    public static readonly ApiError Unexpected = new(10000, StatusCodes.Status500InternalServerError, "Error_Unexpected");
    public static readonly ApiError ValidationFailed = new(10001, StatusCodes.Status400BadRequest, "Error_ValidationFailed");
    public static readonly ApiError MalformedRequest = new(10002, StatusCodes.Status400BadRequest, "Error_MalformedRequest");
    public static readonly ApiError PreconditionRequired = new(10003, StatusCodes.Status428PreconditionRequired, "Error_PreconditionRequired");
    public static readonly ApiError StaleVersion = new(10004, StatusCodes.Status409Conflict, "Error_StaleVersion");
    public static readonly ApiError IdempotencyKeyReused = new(10005, StatusCodes.Status422UnprocessableEntity, "Error_IdempotencyKeyReused");
    public static readonly ApiError IdempotencyInProgress = new(10006, StatusCodes.Status409Conflict, "Error_IdempotencyInProgress");
    public static readonly ApiError UnsupportedMediaType = new(10007, StatusCodes.Status415UnsupportedMediaType, "Error_UnsupportedMediaType");

    // Input hardening (10040–10049).
    public static readonly ApiError OutsideJurisdiction = new(10040, StatusCodes.Status403Forbidden, "Error_OutsideJurisdiction");
    public static readonly ApiError UnsafeText = new(10041, StatusCodes.Status400BadRequest, "Error_ValidationFailed");
    public static readonly ApiError TooManyCases = new(10042, StatusCodes.Status413PayloadTooLarge, "Error_TooManyCases");

    public static readonly ApiError RegistrationNotFound = new(20001, StatusCodes.Status404NotFound, "Error_RegistrationNotFound");
    public static readonly ApiError OpenStayExists = new(20002, StatusCodes.Status409Conflict, "Error_OpenStayExists");
    public static readonly ApiError RegistrationEnded = new(20003, StatusCodes.Status409Conflict, "Error_RegistrationEnded");
    public static readonly ApiError AlreadyConfirmed = new(20004, StatusCodes.Status409Conflict, "Error_AlreadyConfirmed");
    public static readonly ApiError PhotoNotFound = new(20005, StatusCodes.Status404NotFound, "Error_PhotoNotFound");

    public static readonly ApiError PermitNotFound = new(40001, StatusCodes.Status404NotFound, "Error_PermitNotFound");
    public static readonly ApiError PermitAlreadyHeld = new(40002, StatusCodes.Status409Conflict, "Error_PermitAlreadyHeld");
    public static readonly ApiError PermitNotEligible = new(40003, StatusCodes.Status422UnprocessableEntity, "Error_PermitNotEligible");
    public static readonly ApiError PermitWrongStatus = new(40004, StatusCodes.Status409Conflict, "Error_PermitWrongStatus");
    public static readonly ApiError PermitNoPolicy = new(40005, StatusCodes.Status422UnprocessableEntity, "Error_PermitNoPolicy");
    public static readonly ApiError PermitOutsideWindow = new(40006, StatusCodes.Status422UnprocessableEntity, "Error_PermitOutsideWindow");
    public static readonly ApiError PermitRegistrationNotConfirmed = new(40007, StatusCodes.Status409Conflict, "Error_PermitRegistrationNotConfirmed");

    // Later permit steps (40070–40089): change, departure, cancellation, renewal, replacement, transitional.
    public static readonly ApiError PermitReturnExceptionRunning = new(40070, StatusCodes.Status409Conflict, "Error_PermitReturnExceptionRunning");
    public static readonly ApiError PermitOldRegistrationOpen = new(40071, StatusCodes.Status409Conflict, "Error_PermitOldRegistrationOpen");
    public static readonly ApiError PermitNoExpiry = new(40072, StatusCodes.Status409Conflict, "Error_PermitNoExpiry");
    public static readonly ApiError PermitCardNotSurrendered = new(40073, StatusCodes.Status422UnprocessableEntity, "Error_PermitCardNotSurrendered");
    public static readonly ApiError PermitStepNotAllowed = new(40074, StatusCodes.Status403Forbidden, "Error_PermitStepNotAllowed");
    public static readonly ApiError PermitTransitionalNotAllowed = new(40075, StatusCodes.Status422UnprocessableEntity, "Error_PermitTransitionalNotAllowed");
    public static readonly ApiError PermitRenewalPending = new(40076, StatusCodes.Status409Conflict, "Error_PermitRenewalPending");
    public static readonly ApiError PermitMoveOutsideCity = new(40077, StatusCodes.Status422UnprocessableEntity, "Error_PermitMoveOutsideCity");
    public static readonly ApiError PermitDepartureState = new(40078, StatusCodes.Status409Conflict, "Error_PermitDepartureState");
    public static readonly ApiError PermitNoConfiscationBasis = new(40085, StatusCodes.Status422UnprocessableEntity, "Error_PermitNoConfiscationBasis");

    // E-permit (40050–40069): credential, issuers, documents.
    public static readonly ApiError PermitNoCredential = new(40050, StatusCodes.Status409Conflict, "Error_PermitNoCredential");
    public static readonly ApiError IssuerNotFound = new(40051, StatusCodes.Status404NotFound, "Error_IssuerNotFound");
    public static readonly ApiError DocumentUnavailable = new(40052, StatusCodes.Status503ServiceUnavailable, "Error_DocumentUnavailable");
}
