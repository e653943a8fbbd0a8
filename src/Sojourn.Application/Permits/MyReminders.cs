using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Data.Access;
using Sojourn.Data.Permits;
using Sojourn.Rules.Permits;

namespace Sojourn.Application.Permits;

/// <summary>
/// Operational settings of the reminders (<c>Sojourn:Reminders</c>). The deadlines and windows reminded of come from the
/// permit and its policy; only how early to remind where the law sets no window, and how often to look, are set here.
/// </summary>
internal sealed class ReminderOptions
{
    /// <summary>Remind this many days ahead where the policy has no window of its own (an endorsement window about to open, an expiry without a renewal window).</summary>
    public int LeadDays { get; set; } = 30;

    /// <summary>Minutes between runs of the background job; 0 (the default) leaves it off (tests, single runs by the endpoint).</summary>
    public int IntervalMinutes { get; set; }
}

/// <summary>
/// Something the holder should act on now, as the permit and its policy date it: <c>issue</c> (the station's issue
/// deadline), <c>endorsement-open</c> (the window is open: endorse by <see cref="Due"/>), <c>endorsement-late</c> (missed:
/// endorse late), <c>endorsement-soon</c> (the window opens on <see cref="Opens"/>), <c>expiry</c> (renew from
/// <see cref="Opens"/>, by <see cref="Due"/>; the permit ends <see cref="ValidUntil"/>). <see cref="Basis"/> is the
/// contract form (<c>cn-2016#12</c>), <see cref="Citation"/> as people read it.
/// </summary>
internal sealed record ReminderItemDto(
    Guid PermitId, int PermitVersion, string? PermitNumber, string Kind, DateOnly? Opens, DateOnly Due, DateOnly? ValidUntil,
    string? Basis, string Citation, bool CanEndorse);

/// <summary>A reminder the reminder job sent (in the app, and by SMS where the permit has a phone number).</summary>
internal sealed record SentReminderDto(
    Guid Id, Guid PermitId, string Kind, DateOnly DueOn, string Message, string? Basis, string Citation, DateTime CreatedAt, DateTime? ReadAt);

/// <summary>The holder's reminders as of <see cref="AsOf"/>: what is due now, and what the system already sent.</summary>
internal sealed record MyRemindersDto(DateOnly AsOf, IReadOnlyList<ReminderItemDto> Current, IReadOnlyList<SentReminderDto> Sent);

/// <summary>
/// The migrant's own reminders (the page /me and GET /api/v1/me/reminders call this): the endorsement window open or
/// about to open, a missed endorsement, the expiry and renewal window, the issue deadline of an application, each dated
/// by the permit and its policy with the article; and the reminders the reminder job stored. The data layer keeps a
/// migrant to their own permits; the reads are declared in the ledger.
/// </summary>
internal sealed class MyRemindersUseCase(PermitStore store, PersonalDataLedger ledger, IOptions<ReminderOptions> options)
{
    public const string Issue = "issue";
    public const string EndorsementOpen = "endorsement-open";
    public const string EndorsementLate = "endorsement-late";
    public const string EndorsementSoon = "endorsement-soon";
    public const string Expiry = "expiry";

    public async Task<Outcome<MyRemindersDto>> HandleAsync(CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Role != Roles.Migrant || actor.Scope.PersonIdHmac is not { } person)
        {
            return new Failure(ErrorCode.OutsideJurisdiction);
        }

        var today = store.Clock.Today;
        var permits = await store.Db.Permits.AsNoTracking().Where(p => p.PersonIdHmac == person)
            .OrderByDescending(p => p.CreatedAt).Take(50).ToListAsync(cancellationToken);
        var current = new List<ReminderItemDto>();
        foreach (var permit in permits)
        {
            ledger.Read(PermitMapper.Person(permit), ["status", "endorsement", "validUntil"]);
            current.AddRange(Due(permit, today));
        }

        var sent = await store.Db.PermitReminders.AsNoTracking().Where(r => r.PersonIdHmac == person)
            .OrderByDescending(r => r.CreatedAt).Take(200).ToListAsync(cancellationToken);
        return new MyRemindersDto(
            today,
            [.. current.OrderBy(r => r.Due)],
            [.. sent.Select(r => new SentReminderDto(r.Id, r.PermitId, r.Kind, r.DueOn, r.Message, r.Basis, PermitCitations.Cite(r.Basis), r.CreatedAt, r.ReadAt))]);
    }

    /// <summary>What one permit asks of its holder today; dates from the permit (set by its policy when issued) and the policy in force.</summary>
    private IEnumerable<ReminderItemDto> Due(Permit p, DateOnly today)
    {
        var terms = store.Lifecycle.Terms(p.ResidenceDivisionCode, today, p.PolicyId);
        var lead = options.Value.LeadDays;
        if (p.Status == PermitStatus.Applied)
        {
            yield return Item(p, Issue, null, p.IssueDue, terms?.IssueWithin.Basis, canEndorse: false);
        }

        if (p.EndorsementOpens is { } opens && p.EndorsementDue is { } due)
        {
            if (p.Status == PermitStatus.Suspended)
            {
                yield return Item(p, EndorsementLate, opens, due, PermitCitations.Basis(terms?.MissedEndorsement.Basis, terms?.LateEndorsement.Basis), canEndorse: true);
            }
            else if (p.Status == PermitStatus.Valid && opens <= today && today <= due)
            {
                yield return Item(p, EndorsementOpen, opens, due, PermitCitations.Basis(terms?.EndorseWindow.Basis, terms?.EndorseEvery.Basis), canEndorse: true);
            }
            else if (p.Status == PermitStatus.Valid && today < opens && opens.DayNumber - today.DayNumber <= lead)
            {
                yield return Item(p, EndorsementSoon, opens, due, PermitCitations.Basis(terms?.EndorseWindow.Basis, terms?.EndorseEvery.Basis), canEndorse: false);
            }
        }

        if (p.Status == PermitStatus.Valid && p.ValidUntil is { } until && until >= today && terms is not null)
        {
            // A window (「期满前N日内」) opens renewal; a deadline (「期满N日前」) is what must not be missed; neither: the lead days.
            var renewalOpens = store.Lifecycle.RenewalOpens(terms, until);
            var deadline = store.Lifecycle.RenewalDeadline(terms, until);
            var from = renewalOpens ?? (deadline ?? until).AddDays(-lead);
            if (from <= today)
            {
                var basis = terms.RenewWithin?.Basis ?? terms.RenewBy?.Basis ?? terms.Validity?.Basis;
                yield return Item(p, Expiry, from, deadline ?? until, basis, canEndorse: false);
            }
        }
    }

    private static ReminderItemDto Item(Permit p, string kind, DateOnly? opens, DateOnly due, string? basis, bool canEndorse) =>
        new(p.Id, p.Version, p.PermitNumber, kind, opens, due, p.ValidUntil, basis, PermitCitations.Cite(basis), canEndorse);
}
