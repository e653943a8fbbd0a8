using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Application.Time;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Security;
using Sojourn.Data.TipOffs;
using Sojourn.Domain;
using Sojourn.Rules.Divisions;

namespace Sojourn.Application.Reporting;

/// <summary>
/// Public tip-offs (举报, 宁夏 第四十一条: anyone may complain of or report a breach to the police, who must deal with it,
/// and the police publish a hotline and a mailbox). Anyone may submit one without an account; it becomes a lead of the
/// station whose published jurisdiction holds the address (<see cref="StationDirectory"/>); officers and the station
/// chief of that jurisdiction list and close leads (the query filter is the reach of reads and writes alike). The
/// tipster's contact is encrypted at rest, disclosed to the station chief only, and every disclosure is declared in the
/// ledger (audited); it is never written to a log.
/// </summary>
internal sealed class TipOffUseCases(SojournDbContext db, ILegalClock clock, IdentityProtector protector, PersonalDataLedger ledger)
{
    /// <summary>The field of the tipster's data a disclosure names in the audit entry.</summary>
    public const string ContactField = "tipsterContact";

    /// <summary>The stations that take tip-offs with their published contact (public).</summary>
    public static IReadOnlyList<StationContact> Stations() => StationDirectory.Default.Stations;

    public async Task<Outcome<TipOffReceipt>> SubmitAsync(TipOffRequest request, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new FieldErrors();
        var kind = request.Kind?.Trim();
        if (string.IsNullOrEmpty(kind))
        {
            errors.Add("kind", "Field_Required", Messages.Get("Label_TipOffKind"));
        }
        else if (!TipOffKind.All.Contains(kind))
        {
            errors.Add("kind", "Field_OneOf", Messages.Get("Label_TipOffKind"), string.Join(", ", TipOffKind.All));
        }

        var division = request.DivisionCode?.Trim();
        if (string.IsNullOrEmpty(division))
        {
            errors.Add("divisionCode", "Field_Required", Messages.Get("Label_TipOffDivision"));
        }
        else if (DivisionTable.Default.Find(division) is not { Level: DivisionLevel.County })
        {
            errors.Add("divisionCode", "TipOff_DivisionNotCounty", Messages.Get("Label_TipOffDivision"));
        }

        var address = Text(request.Address, "address", "Label_TipOffAddress", TipOffLengths.Address, required: true, errors);
        var description = Text(request.Description, "description", "Label_TipOffDescription", TipOffLengths.Description, required: true, errors);
        var contact = Text(request.Contact, "contact", "Label_TipOffContact", TipOffLengths.Contact, required: false, errors);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var station = StationDirectory.Default.For(division);
        if (station is null)
        {
            var name = DivisionTable.Default.Find(division)?.FullName ?? division;
            return Failure.Of(ErrorCode.NoStationForAddress, "Error_NoStationForAddress_Detail", name);
        }

        var tip = TipOff.Create(Guid.CreateVersion7(), kind!, division!, address!, description!,
            string.IsNullOrEmpty(contact) ? null : protector.Encrypt(contact), station.Code, clock.UtcNow);
        db.TipOffs.Add(tip);
        await db.SaveChangesAsync(cancellationToken);
        return new TipOffReceipt(tip.Id, Receipt(tip.Id), tip.ReceivedAt, station, StationDirectory.Default.Basis);
    }

    /// <summary>
    /// The leads the actor's jurisdiction holds, newest first (open ones by default). The station chief sees each
    /// tipster's contact, and each contact shown is declared read; everyone else sees whether there is one.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<LeadDto>>> ListLeadsAsync(string? status, int take, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var q = db.TipOffs.AsNoTracking();
        var wanted = status?.Trim();
        if (wanted is TipOffStatus.Open or TipOffStatus.Closed)
        {
            q = q.Where(t => t.Status == wanted);
        }
        else if (wanted is not (null or "" or "all"))
        {
            return Failure.Validation("status", Messages.Format("Field_OneOf", "status", "open, closed, all"));
        }

        var rows = await q.OrderByDescending(t => t.ReceivedAt).Take(Math.Clamp(take, 1, 200)).ToListAsync(cancellationToken);
        return rows.Select(t => Dto(t, actor)).ToList();
    }

    /// <summary>Closes a lead of the actor's jurisdiction with a note of what was done; a lead is closed once.</summary>
    public async Task<Outcome<LeadDto>> CloseAsync(Guid id, CloseLeadRequest request, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new FieldErrors();
        var note = Text(request.Note, "note", "Label_LeadNote", TipOffLengths.Note, required: true, errors);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        // The query filter is the jurisdiction: a lead of another station is indistinguishable from none.
        var tip = await db.TipOffs.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (tip is null)
        {
            return Failure.Of(ErrorCode.LeadNotFound, "Error_LeadNotFound_Detail");
        }

        if (!tip.Close(note!, actor.Label, clock.UtcNow))
        {
            return Failure.Of(ErrorCode.LeadClosed, "Error_LeadClosed_Detail",
                tip.ClosedAt?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "");
        }

        await db.SaveChangesAsync(cancellationToken);
        return Dto(tip, actor);
    }

    /// <summary>A short number the tipster can quote (the random tail of the id).</summary>
    public static string Receipt(Guid id) => "JB" + id.ToString("N")[^10..].ToUpperInvariant();

    private LeadDto Dto(TipOff t, CurrentActor actor)
    {
        string? contact = null;
        if (t.ContactCipher is { } cipher)
        {
            if (actor.Role == Roles.StationChief)
            {
                contact = protector.Decrypt(cipher);
                // The tipster is known to the audit log only by a keyed hash of their contact, never by the contact.
                ledger.Read(new PersonRef(protector.LookupHash("tipster|" + contact), t.DivisionCode), [ContactField]);
            }
            else
            {
                contact = "******";
            }
        }

        return new LeadDto(t.Id, Receipt(t.Id), t.Kind, t.DivisionCode, t.Address, t.Description, t.StationCode, t.ReceivedAt, t.Status,
            t.ContactCipher is not null, contact, t.ClosedAt, t.ClosedBy, t.ClosingNote);
    }

    private static string? Text(string? value, string field, string labelKey, int max, bool required, FieldErrors errors)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            if (required)
            {
                errors.Add(field, "Field_Required", Messages.Get(labelKey));
            }

            return null;
        }

        if (!StoredText.IsSafe(text))
        {
            errors.Add(field, "Field_UnsafeText", Messages.Get(labelKey));
        }
        else if (text.Length > max)
        {
            errors.Add(field, "Field_TooLong", Messages.Get(labelKey), max);
        }

        return text;
    }
}
