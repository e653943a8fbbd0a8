namespace Sojourn.Data.Reporting;

/// <summary>
/// One report by a third party of a person's arrival (move-in, hire, entry, check-in) or departure (move-out,
/// termination, leaving): when it happened, when it was reported, and the rules engine's answer on the day it was
/// received (the duty, its due time, met or late, the article and the engine stamp). Never changed after it is
/// written: a correction is a new report.
/// </summary>
public sealed class ThirdPartyReport
{
    private ThirdPartyReport()
    {
    }

    public Guid Id { get; private set; }
    public Guid EstablishmentId { get; private set; }

    /// <summary>The reporting account (null for the system, e.g. a batch processed in the background keeps the uploader).</summary>
    public string? AccountId { get; private set; }

    /// <summary>arrival | departure.</summary>
    public string Kind { get; private set; } = "";

    public string PersonName { get; private set; } = "";
    public string PersonIdHmac { get; private set; } = "";
    public string PersonIdMasked { get; private set; } = "";

    /// <summary>Residence division of the establishment: the jurisdiction key.</summary>
    public string DivisionCode { get; private set; } = "";

    public Guid? RegistrationId { get; private set; }
    public Guid? RoomId { get; private set; }

    /// <summary>The event's local date-time as given (<c>2026-03-02T21:30</c>; a date alone is midnight).</summary>
    public DateTime OccurredAt { get; private set; }

    /// <summary>The day the report was received (law's time zone).</summary>
    public DateOnly ReportedOn { get; private set; }

    public DateTime ReceivedAt { get; private set; }

    /// <summary>The duty the report meets (<c>landlord.report-tenant</c>), null where no policy sets one.</summary>
    public string? DutyId { get; private set; }

    /// <summary>The due date or date-time as the engine prints it.</summary>
    public string? Due { get; private set; }

    /// <summary>met | late | no-duty.</summary>
    public string Timeliness { get; private set; } = "";

    /// <summary>The article (<c>shanxi-2017#14</c>) or, with no duty, the policy ids consulted.</summary>
    public string Basis { get; private set; } = "";

    /// <summary>The engine stamp of the evaluation: version and policy hashes (JSON).</summary>
    public string EngineJson { get; private set; } = "";

    /// <summary>SHA-256 of the report's natural key (establishment, kind, person, day of the event): a repeat creates nothing.</summary>
    public string IdempotencyKey { get; private set; } = "";

    public Guid? ImportJobId { get; private set; }

    public static ThirdPartyReport Create(
        Guid id, Guid establishmentId, string? accountId, string kind, string personName, string personIdHmac, string personIdMasked,
        string divisionCode, Guid? registrationId, Guid? roomId, DateTime occurredAt, DateOnly reportedOn, DateTime receivedAt,
        string? dutyId, string? due, string timeliness, string basis, string engineJson, string idempotencyKey, Guid? importJobId) => new()
        {
            Id = id,
            EstablishmentId = establishmentId,
            AccountId = accountId,
            Kind = kind,
            PersonName = personName,
            PersonIdHmac = personIdHmac,
            PersonIdMasked = personIdMasked,
            DivisionCode = divisionCode,
            RegistrationId = registrationId,
            RoomId = roomId,
            OccurredAt = occurredAt,
            ReportedOn = reportedOn,
            ReceivedAt = receivedAt,
            DutyId = dutyId,
            Due = due,
            Timeliness = timeliness,
            Basis = basis,
            EngineJson = engineJson,
            IdempotencyKey = idempotencyKey,
            ImportJobId = importJobId,
        };
}
