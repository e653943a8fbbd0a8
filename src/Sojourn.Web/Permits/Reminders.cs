using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sojourn.Application.Actors;
using Sojourn.Application.Permits;
using Sojourn.Application.PersonalData;
using Sojourn.Data;
using Sojourn.Data.Permits;
using Sojourn.Rules.Permits;
using Sojourn.Web.Access;
using Sojourn.Web.Access.Audit;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Permits;

/// <summary>What one run did.</summary>
internal sealed record ReminderRun(int PermitsChecked, int RemindersCreated, int SmsQueued);

/// <summary>
/// A reminder the job created, as the station sees its result: the permit, kind, deadline and basis, and the SMS:
/// <c>none</c> (no phone number), <c>pending</c>, <c>sent</c>, or <c>failed</c> (attempted, not sent, with the gateway's error).
/// No message text and no phone number: the station needs the outcome, not the content.
/// </summary>
internal sealed record ReminderResultDto(
    Guid Id, Guid PermitId, string Kind, DateOnly DueOn, string? Basis, DateTime CreatedAt, string Sms, int Attempts, string? LastError, DateTime? SentAt);

/// <summary>
/// Creates in-app reminders (and SMS outbox rows where the permit has a phone number) for valid permits
/// whose endorsement window is open and closes within <see cref="ReminderOptions.LeadDays"/>, and whose
/// expiry falls within the policy's renewal window (<see cref="PermitLifecycle.RenewalOpens"/>; where the
/// policy sets none, within the lead days). Idempotent: one reminder per permit, kind and deadline (the
/// unique index), so the job may run any number of times.
/// </summary>
internal sealed class PermitReminderService(
    SojournDbContext db, PermitLifecycle lifecycle, ChinaClock clock, IOptions<ReminderOptions> options, ILogger<PermitReminderService> logger)
{
    public const string Endorsement = "endorsement";
    public const string Expiry = "expiry";
    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");

    /// <summary>Runs over the permits the context may see (a station chief's jurisdiction; everything outside a request).</summary>
    public async Task<ReminderRun> RunAsync(CancellationToken ct)
    {
        var today = clock.Today;
        var lead = today.AddDays(options.Value.LeadDays);
        var candidates = await db.Permits.AsNoTracking()
            .Where(p => p.Status == PermitStatus.Valid && p.PermitNumber != null
                && ((p.EndorsementOpens <= today && p.EndorsementDue >= today && p.EndorsementDue <= lead)
                    || (p.ValidUntil != null && p.ValidUntil >= today)))
            .ToListAsync(ct);
        var ids = candidates.Select(p => p.Id).ToList();
        var existing = (await db.PermitReminders.IgnoreQueryFilters().AsNoTracking()
                .Where(r => ids.Contains(r.PermitId)).Select(r => new { r.PermitId, r.Kind, r.DueOn }).ToListAsync(ct))
            .Select(r => (r.PermitId, r.Kind, r.DueOn)).ToHashSet();

        // Stored text is zh-CN whatever the caller's language.
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = Chinese;
        var created = new List<(PermitReminder Reminder, Permit Permit)>();
        try
        {
            foreach (var p in candidates)
            {
                var terms = lifecycle.Terms(p.ResidenceDivisionCode, today, p.PolicyId);
                if (p.EndorsementOpens is { } opens && p.EndorsementDue is { } due && opens <= today && today <= due && due <= lead)
                {
                    var basis = terms?.EndorseEvery.Basis;
                    Add(p, Endorsement, due, Messages.Format("Reminder_Endorsement", p.PermitNumber, D(due), D(opens), Cite(basis)), basis);
                }

                if (p.ValidUntil is { } until && until >= today)
                {
                    var renewalOpens = terms is null ? null : lifecycle.RenewalOpens(terms, until);
                    // A deadline (「期满30日前」) is what the holder must not miss: remind the lead days before it.
                    var deadline = terms is null ? null : lifecycle.RenewalDeadline(terms, until);
                    var from = renewalOpens ?? (deadline ?? until).AddDays(-options.Value.LeadDays);
                    if (from <= today)
                    {
                        var basis = terms?.RenewWithin?.Basis ?? terms?.RenewBy?.Basis ?? terms?.Validity?.Basis;
                        Add(p, Expiry, until, Messages.Format("Reminder_Expiry", p.PermitNumber, D(until), D(from), Cite(basis)), basis);
                    }
                }
            }
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }

        var sms = 0;
        foreach (var (reminder, permit) in created)
        {
            db.PermitReminders.Add(reminder);
            if (permit.PhoneCipher is { } phone)
            {
                // The number stays SM4 ciphertext; the text names the permit number and dates, never the identity number.
                db.SmsOutbox.Add(new SmsOutboxMessage
                {
                    Id = Guid.CreateVersion7(),
                    ReminderId = reminder.Id,
                    PhoneCipher = phone,
                    Text = Truncate("【居住证提醒】" + reminder.Message, 500),
                    CreatedAt = clock.UtcNow,
                });
                sms++;
            }
        }

        try
        {
            await using var transaction = await Data.Audit.SharedTransaction.BeginOrJoinAsync(db, ct);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // A concurrent run created them first: nothing is lost, the next run finds them.
            db.ChangeTracker.Clear();
            logger.LogInformation("Reminder run raced with another; its reminders were already there");
            return new ReminderRun(candidates.Count, 0, 0);
        }

        logger.LogInformation("Reminders: {Checked} permits checked, {Created} reminders, {Sms} SMS queued", candidates.Count, created.Count, sms);
        return new ReminderRun(candidates.Count, created.Count, sms);

        void Add(Permit p, string kind, DateOnly dueOn, string message, string? basis)
        {
            if (!existing.Add((p.Id, kind, dueOn)))
            {
                return;
            }

            created.Add((new PermitReminder
            {
                Id = Guid.CreateVersion7(),
                PermitId = p.Id,
                PersonIdHmac = p.PersonIdHmac,
                Kind = kind,
                DueOn = dueOn,
                Message = Truncate(message, 1000),
                Basis = basis is null ? null : Truncate(basis, 200),
                CreatedAt = clock.UtcNow,
                ResidenceDivisionCode = p.ResidenceDivisionCode,
            }, p));
        }
    }

    /// <summary>The latest reminders the context may see (a station chief's jurisdiction), newest first, with their SMS outcome.</summary>
    public async Task<List<ReminderResultDto>> RecentAsync(int take, CancellationToken ct)
    {
        var reminders = await db.PermitReminders.AsNoTracking().OrderByDescending(r => r.CreatedAt).Take(Math.Clamp(take, 1, 500))
            .Select(r => new { r.Id, r.PermitId, r.Kind, r.DueOn, r.Basis, r.CreatedAt }).ToListAsync(ct);
        var ids = reminders.Select(r => r.Id).ToList();
        var sms = (await db.SmsOutbox.AsNoTracking().Where(m => ids.Contains(m.ReminderId))
                .Select(m => new { m.ReminderId, m.SentAt, m.Attempts, m.LastError }).ToListAsync(ct))
            .GroupBy(m => m.ReminderId).ToDictionary(g => g.Key, g => g.First());
        return [.. reminders.Select(r =>
        {
            var m = sms.GetValueOrDefault(r.Id);
            var state = m is null ? "none" : m.SentAt is not null ? "sent" : m.Attempts > 0 || m.LastError is not null ? "failed" : "pending";
            return new ReminderResultDto(r.Id, r.PermitId, r.Kind, r.DueOn, r.Basis, r.CreatedAt, state, m?.Attempts ?? 0, m?.LastError, m?.SentAt);
        })];
    }

    private static string Cite(string? basis) =>
        basis is null ? "居住证暂行条例" : string.Join("、", PermitDocumentEndpoints.Citations(basis).Select(b => b.Instrument + b.Article));

    private static string D(DateOnly d) => d.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    private static string Truncate(string s, int max) => s.Length > max ? s[..max] : s;
}

/// <summary>The reminder job on a timer (<c>Sojourn:Reminders:IntervalMinutes</c>; off when 0).</summary>
internal sealed class PermitReminderWorker(IServiceScopeFactory scopes, IOptions<ReminderOptions> options, TimeProvider time, ILogger<PermitReminderWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.IntervalMinutes <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.IntervalMinutes), time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<PermitReminderService>().RunAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Reminder run failed; next run in {Minutes} minutes", options.Value.IntervalMinutes);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

/// <summary>POST /api/v1/permits/reminders/run (station chief, own jurisdiction) and GET /api/v1/me/reminders (migrant).</summary>
public static class PermitReminders
{
    public static IServiceCollection AddPermitReminders(this IServiceCollection services)
    {
        services.AddOptions<ReminderOptions>().BindConfiguration("Sojourn:Reminders");
        services.AddScoped<PermitReminderService>();
        services.AddHostedService<PermitReminderWorker>();
        return services;
    }

    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder permits)
    {
        permits.MapPost("/reminders/run", async (PermitReminderService service, CancellationToken ct) =>
                TypedResults.Ok(await service.RunAsync(ct)))
            .WithName("RunPermitReminders")
            .WithSummary("生成签注、换领提醒（本辖区；可重复执行）");
        app.MapGet("/api/v1/me/reminders", MineAsync)
            .WithTags("居住证 Residence permits")
            .WithName("MyPermitReminders")
            .WithSummary("我的居住证提醒");
    }

    /// <summary>The holder's reminders (MyRemindersUseCase, the same as the page /me); the reads it declared are audited.</summary>
    private static async Task<Results<Ok<MyRemindersDto>, ProblemHttpResult>> MineAsync(
        HttpContext http, MyRemindersUseCase reminders, CurrentActor actor, PersonalDataLedger ledger, AuditRecorder recorder, CancellationToken ct)
    {
        var outcome = await reminders.HandleAsync(actor, ct);
        if (!outcome.TryGetValue(out var mine, out var failure))
        {
            return ApiProblems.Result(failure);
        }

        await recorder.RecordUsesAsync(http, "MyPermitReminders", ledger, ct);
        return TypedResults.Ok(mine);
    }
}
