using Sojourn.Application.Errors;
using Sojourn.Data.Access;
using Sojourn.Data.Registrations;

namespace Sojourn.Application.Registrations;

/// <summary>
/// The registration decisions as pure functions (no database, no HTTP): whether a step may be taken on a
/// registration in its state, and the verdict on each command's own fields. The use cases call them before
/// anything is written; tests call them directly.
/// </summary>
internal static class RegistrationRules
{
    public const int MaxReason = 200;

    /// <summary>The statuses a list may filter by.</summary>
    public static readonly IReadOnlyList<string> Statuses = [RegistrationStatus.Declared, RegistrationStatus.Confirmed, RegistrationStatus.Ended];

    /// <summary>Identity fields: a change (变更) may not touch them; they are corrections (更正).</summary>
    public static readonly IReadOnlyList<string> IdentityFields = ["name", "idNumber", "birthDate", "sex", "ethnicGroup"];

    /// <summary>An update names the version it read (If-Match or the body's version): 428 otherwise.</summary>
    public static Failure? RequireVersion(int? expectedVersion) =>
        expectedVersion is null ? Failure.Of(ErrorCode.PreconditionRequired, "Error_PreconditionRequired_Detail") : null;

    /// <summary>Any update of a found registration: not stale (409 10004), still open (409 20003).</summary>
    public static Failure? MayUpdate(int expectedVersion, int currentVersion, string status)
    {
        if (expectedVersion != currentVersion)
        {
            return RegistrationFailures.Stale(currentVersion);
        }

        return status == RegistrationStatus.Ended ? Failure.Of(ErrorCode.RegistrationEnded, "Error_RegistrationEnded_Detail") : null;
    }

    /// <summary>A migrant declares for themself only (流动人口本人申报); others declare for anyone they may reach.</summary>
    public static Failure? MayDeclareFor(ActorScope scope, string personIdHmac, string residenceDivision)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.Reach == ActorReach.Person && personIdHmac != scope.PersonIdHmac)
        {
            return RegistrationFailures.OwnDeclarationOnly();
        }

        // Writes obey the read jurisdiction (the data layer refuses too; this answers before any lookup).
        return scope.CoversResidence(residenceDivision, null)
            ? null
            : Failure.Of(ErrorCode.OutsideJurisdiction, "Error_OutsideJurisdiction_Detail", residenceDivision);
    }

    /// <summary>
    /// The station of the residence confirms: not twice (409 20004); a 12-digit organ code whose first six digits are the
    /// residence division, the station's name and the officer's, each within its column.
    /// </summary>
    public static Failure? CheckConfirm(
        string status, string residenceDivision, string? stationCode, string? stationName, string? officerName, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (status == RegistrationStatus.Confirmed)
        {
            return Failure.Of(ErrorCode.AlreadyConfirmed, "Error_AlreadyConfirmed_Detail");
        }

        if (string.IsNullOrEmpty(stationCode))
        {
            errors.Add("stationCode", "Field_Required", Messages.Get("Label_StationCode"));
        }
        else if (stationCode.Length != 12 || !stationCode.All(char.IsAsciiDigit))
        {
            errors.Add("stationCode", "Station_Format");
        }
        else if (!stationCode.StartsWith(residenceDivision, StringComparison.Ordinal))
        {
            errors.Add("stationCode", "Station_NotOfResidence", residenceDivision);
        }

        Required(stationName, "stationName", "Label_StationName", Data.Validation.ColumnLengths.StationName, errors);
        Required(officerName, "officerName", "Label_OfficerName", Data.Validation.ColumnLengths.DeclarantName, errors);
        return null;
    }

    /// <summary>The departure day: given, not in the future, not before the arrival; the reason within its length.</summary>
    public static void CheckDeparture(DateOnly? departedOn, DateOnly today, DateOnly arrivedOn, string? reason, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (departedOn is not { } day)
        {
            errors.Add("departedOn", "Field_Required", Messages.Get("Label_DepartedOn"));
        }
        else if (day > today)
        {
            errors.Add("departedOn", "Field_InFuture", Messages.Get("Label_DepartedOn"));
        }
        else if (day < arrivedOn)
        {
            errors.Add("departedOn", "Departure_BeforeArrival");
        }

        if (reason is { Length: > MaxReason })
        {
            errors.Add("reason", "Field_TooLong", Messages.Get("Label_Reason"), MaxReason);
        }
    }

    /// <summary>
    /// 更正 and 变更 (第十二条): a change may not touch the person's identity (those are corrections); no amendment moves a
    /// stay to another county once confirmed, and no change moves it at all (another station's stay); a reason is given.
    /// </summary>
    public static void CheckAmend(string kind, string status, RecordInput current, RecordInput changes, string? reason, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(errors);
        if (kind == VersionKind.Change)
        {
            foreach (var field in IdentityFields)
            {
                var given = IdentityValue(changes, field);
                if (given is not null && !Equals(Normalise(given), Normalise(IdentityValue(current, field))))
                {
                    errors.Add("changes." + field, "Change_IdentityField");
                }
            }
        }

        if (changes.ResidenceDivision is { } division && division != current.ResidenceDivision
            && (kind == VersionKind.Change || status == RegistrationStatus.Confirmed))
        {
            errors.Add("changes.residenceDivision", "Amend_ResidenceDivisionMoved");
        }

        Required(reason, "reason", "Label_Reason", MaxReason, errors);
    }

    /// <summary>The list's filters: page from 1, a page size within the configured bound, a 2–6 digit division prefix, a known status.</summary>
    public static void CheckListQuery(string? division, string? status, int page, int pageSize, int maxPageSize, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (page < 1)
        {
            errors.Add("page", "Field_Positive", "page");
        }

        if (pageSize < 1 || pageSize > maxPageSize)
        {
            errors.Add("pageSize", "Page_SizeRange", maxPageSize);
        }

        if (division is not null && (division.Length is < 2 or > 6 || !division.All(char.IsAsciiDigit)))
        {
            errors.Add("division", "Division_Prefix");
        }

        if (status is not null && !Statuses.Contains(status))
        {
            errors.Add("status", "Field_OneOf", "status", string.Join(", ", Statuses));
        }
    }

    /// <summary>
    /// Rows before page <paramref name="page"/> (1-based), in 64 bits and capped: a huge page number is an empty page
    /// past the end, never a negative offset that wraps to the first page.
    /// </summary>
    public static int Skip(int page, int size) =>
        (int)Math.Clamp(((long)Math.Max(page, 1) - 1) * Math.Max(size, 0), 0, int.MaxValue);

    /// <summary>Names (never values) of the record fields a command gives, as the request names them.</summary>
    public static IReadOnlyList<string> GivenFields(RecordInput input, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(input);
        var given = new (string Field, object? Value)[]
        {
            ("name", input.Name), ("sex", input.Sex), ("ethnicGroup", input.EthnicGroup), ("birthDate", input.BirthDate),
            ("idNumber", input.IdNumber), ("hukouDivision", input.HukouDivision), ("hukouAddress", input.HukouAddress),
            ("residenceDivision", input.ResidenceDivision), ("residenceAddress", input.ResidenceAddress),
            ("workplace", input.Workplace), ("employerCode", input.EmployerCode), ("hiredOn", input.HiredOn), ("education", input.Education), ("employment", input.Employment),
            ("socialInsurance", input.SocialInsurance), ("maritalStatus", input.MaritalStatus),
            ("marriageBirthCertificate", input.MarriageBirthCertificate), ("arrivedOn", input.ArrivedOn),
            ("intendedDays", input.IntendedDays), ("purpose", input.Purpose), ("lodging", input.Lodging),
            ("children", input.Children),
        };
        return [.. given.Where(g => g.Value is not null).Select(g => prefix + g.Field)];
    }

    private static void Required(string? value, string field, string labelKey, int maxLength, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(field, "Field_Required", Messages.Get(labelKey));
        }
        else if (value.Length > maxLength)
        {
            errors.Add(field, "Field_TooLong", Messages.Get(labelKey), maxLength);
        }
    }

    private static object? IdentityValue(RecordInput r, string field) => field switch
    {
        "name" => r.Name,
        "idNumber" => r.IdNumber,
        "birthDate" => r.BirthDate,
        "sex" => r.Sex,
        _ => r.EthnicGroup,
    };

    private static object? Normalise(object? value) => value is string s ? s.Trim().ToUpperInvariant() : value;
}

/// <summary>The registration module's failures, each an entry of the error catalogue.</summary>
internal static class RegistrationFailures
{
    public static Failure NotFound() => Failure.Of(ErrorCode.RegistrationNotFound, "Error_RegistrationNotFound_Detail");

    public static Failure Stale(int currentVersion) => Failure.Of(ErrorCode.StaleVersion, "Error_StaleVersion_Detail", currentVersion);

    /// <summary>409 for an open stay of the person at the address; names it when the caller may already see it.</summary>
    public static Failure OpenStayExists(Guid? visibleId = null)
    {
        var failure = Failure.Of(ErrorCode.OpenStayExists, "Error_OpenStayExists_Detail");
        return visibleId is { } id ? failure.With("existingId", id) : failure;
    }

    public static Failure PhotoNotFound() => Failure.Of(ErrorCode.PhotoNotFound, "Error_PhotoNotFound_Detail");

    /// <summary>
    /// 403 30006: a migrant declares for themself only. The 30xxx block is being moved into the catalogue; until then the
    /// code is kept here with its text as the title, as before.
    /// </summary>
    public static Failure OwnDeclarationOnly() => new(ErrorCode.DeclareForSelfOnly);
}
