namespace Sojourn.Application.Reporting;

/// <summary>A public tip-off: its kind, the address (county division and street address), what happened, and optionally a contact.</summary>
internal sealed record TipOffRequest(string? Kind, string? DivisionCode, string? Address, string? Description, string? Contact);

/// <summary>What the tipster gets back: a receipt number and the station that will deal with it, with its published contact.</summary>
internal sealed record TipOffReceipt(Guid Id, string Receipt, DateTime ReceivedAt, StationContact Station, string Basis);

/// <summary>
/// A lead on a station's worklist. <see cref="Contact"/> is the tipster's contact, disclosed to the station chief
/// only (and the read audited); everyone else sees <see cref="HasContact"/> and a mask.
/// </summary>
internal sealed record LeadDto(
    Guid Id, string Receipt, string Kind, string DivisionCode, string Address, string Description, string StationCode, DateTime ReceivedAt,
    string Status, bool HasContact, string? Contact, DateTime? ClosedAt, string? ClosedBy, string? ClosingNote);

/// <summary>Closing a lead: what was done.</summary>
internal sealed record CloseLeadRequest(string? Note);
