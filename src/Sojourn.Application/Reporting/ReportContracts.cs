using Sojourn.Application.Registrations;

namespace Sojourn.Application.Reporting;

/// <summary>
/// A report of arrival or departure by a third party. <see cref="Person"/> carries the registration content for an
/// arrival (the same fields and rules as a declaration; the residence defaults to the establishment's address); a
/// departure needs only the identity number. <see cref="OccurredAt"/> is the event's local time
/// (<c>2026-03-02T21:30</c> or a date).
/// </summary>
public sealed record ReportRequest(Guid? EstablishmentId, string? Kind, string? OccurredAt, Guid? RoomId, RecordInput? Person);

/// <summary>The command: the request, and the import job it came from (a batch row) if any.</summary>
public sealed record ReportCommand(ReportRequest Request, Guid? ImportJobId = null);

/// <summary>Whether a report met its deadline: the duty, its due time, met or late (or no-duty), the article and the engine stamp.</summary>
public sealed record ReportTimelinessDto(string? DutyId, string? Due, string Status, string Basis, string Engine);

/// <summary>A stored report as its reporter and the station see it (identity number masked).</summary>
public sealed record ReportDto(
    Guid Id, Guid EstablishmentId, string Kind, string PersonName, string PersonIdMasked, string OccurredAt, DateOnly ReportedOn,
    Guid? RegistrationId, bool RegistrationCreated, bool StayEnded, ReportTimelinessDto Timeliness, bool Repeated);

/// <summary>An establishment the reporter answers for.</summary>
public sealed record EstablishmentDto(Guid Id, string Code, string Name, string Kind, string DivisionCode, string Address);
