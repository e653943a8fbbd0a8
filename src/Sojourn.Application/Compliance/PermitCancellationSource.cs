using Microsoft.EntityFrameworkCore;
using Sojourn.Data.Compliance;
using Sojourn.Data.Permits;
using Sojourn.Data.Registrations;
using Sojourn.Rules.Compliance;
using Sojourn.Rules.Permits;

namespace Sojourn.Application.Compliance;

/// <summary>
/// Permits that should be cancelled (<see cref="PermitCancellation"/>): a valid or suspended permit whose stay has ended
/// without the permit being told of the departure, whose holder has no open stay in the same city or county since
/// (<see cref="PermitCancellation.WithinPlace"/>), and whose
/// return exception has run out, under a policy that puts a cancellation on leaving (山西2017 第十八条, 山西2013 第十九条,
/// 大同 第二十一条). The case is the station's follow-up (party station, no sanction: the measures fine nobody for it);
/// the station cancels the permit, which closes it, or dismisses it with the reason. Where the policy is silent
/// (cn-2016, 宁夏, 新疆 …) nothing is opened. Key: <c>permit:{permit}:station.cancel-permit:{departure day}</c>.
/// </summary>
internal sealed class PermitCancellationSource : IComplianceSource
{
    public const string SourceName = "permit-cancel";

    public string Name => SourceName;

    public static string Key(Guid permitId, DateOnly departedOn) => $"permit:{permitId}:{PermitCancellation.Duty}:{departedOn:yyyy-MM-dd}";

    public async Task<int> OpenCasesAsync(ComplianceSweepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var db = context.Db;
        var today = context.Today;
        // Left without telling the permit: the stay ended, the permit still current and not departed.
        var candidates = await (from p in db.Permits.IgnoreQueryFilters()
                                join s in db.Registrations.IgnoreQueryFilters() on p.RegistrationId equals s.Id
                                where (p.Status == PermitStatus.Valid || p.Status == PermitStatus.Suspended) && p.LeftOn == null
                                    && s.Status == RegistrationStatus.Ended && s.DepartedOn != null && s.DepartedOn < today
                                select new
                                {
                                    p.Id,
                                    p.RegistrationId,
                                    p.PersonIdHmac,
                                    p.ResidenceDivisionCode,
                                    p.StationCode,
                                    DepartedOn = s.DepartedOn!.Value,
                                })
            .ToListAsync(cancellationToken);
        // Still living in the city or county (another open stay there): a change of address, not a departure.
        var people = candidates.Select(c => c.PersonIdHmac).Distinct().ToList();
        var open = await db.Registrations.IgnoreQueryFilters().AsNoTracking()
            .Where(o => people.Contains(o.PersonIdHmac) && o.Status != RegistrationStatus.Ended)
            .Select(o => new { o.PersonIdHmac, o.ResidenceDivisionCode }).ToListAsync(cancellationToken);
        candidates = [.. candidates.Where(c => !open.Any(o => o.PersonIdHmac == c.PersonIdHmac
            && PermitCancellation.WithinPlace(c.ResidenceDivisionCode, o.ResidenceDivisionCode)))];
        var keys = candidates.Select(c => Key(c.Id, c.DepartedOn)).ToList();
        var existing = (await db.ComplianceCases.IgnoreQueryFilters().AsNoTracking().Where(c => keys.Contains(c.DutyKey))
            .Select(c => c.DutyKey).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var lifecycle = PermitLifecycle.Default;
        foreach (var c in candidates.Where(c => context.Reaches(c.ResidenceDivisionCode, c.StationCode) && !existing.Contains(Key(c.Id, c.DepartedOn))))
        {
            // The law in force on the departure day decides whether leaving calls for a cancellation.
            if (lifecycle.Terms(c.ResidenceDivisionCode, c.DepartedOn) is not { } terms
                || PermitCancellation.AfterDeparture(lifecycle, terms, c.ResidenceDivisionCode, c.DepartedOn) is not { } followUp
                || !PermitCancellation.Overdue(followUp, today))
            {
                continue; // silent, or the holder may still come back in time
            }

            db.ComplianceCases.Add(FollowUpCase(context, Key(c.Id, c.DepartedOn), SourceName, c.Id, c.RegistrationId, c.PersonIdHmac, c.ResidenceDivisionCode, c.StationCode, followUp, terms));
        }

        await db.SaveChangesAsync(cancellationToken);
        return candidates.Count;
    }

    /// <summary>
    /// The station's follow-up of a permit it should cancel (party station, no sanction: the measures fine nobody for
    /// it), due as <paramref name="followUp"/> says; with no period (a death) the duty is open, not overdue.
    /// </summary>
    internal static ComplianceCase FollowUpCase(
        ComplianceSweepContext context, string key, string source, Guid permitId, Guid registrationId, string personHmac,
        string division, string? station, CancellationFollowUp followUp, PermitTerms terms) => new()
        {
            DutyKey = key,
            Source = source,
            SubjectId = permitId,
            RegistrationId = registrationId,
            PersonIdHmac = personHmac,
            ResidenceDivisionCode = division,
            StationCode = station,
            Duty = PermitCancellation.Duty,
            Party = "station",
            DutyBasis = followUp.Basis,
            Due = followUp.Due,
            DutyStatus = followUp.NoPeriod ? DutyStatuses.Open : DutyStatuses.Overdue,
            Policies = string.Join('>', terms.Policies),
            Engine = RegistrationDuties.Stamp(terms.EngineVersion, terms.PolicyHashes),
            OpenedOn = context.Today,
            OpenedAt = context.Now,
            OpenedBy = context.Actor,
            UpdatedAt = context.Now,
            Version = 1,
        };

    public Task<IReadOnlyDictionary<long, DateOnly>> DoneAsync(
        ComplianceSweepContext context, IReadOnlyList<ComplianceCase> waiting, CancellationToken cancellationToken) =>
        DoneWhenCancelledAsync(context, waiting, cancellationToken);

    /// <summary>A follow-up of a permit to cancel is done the day the permit was cancelled (or otherwise closed).</summary>
    internal static async Task<IReadOnlyDictionary<long, DateOnly>> DoneWhenCancelledAsync(
        ComplianceSweepContext context, IReadOnlyList<ComplianceCase> waiting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(waiting);
        var byId = await CancelledAsync(context, [.. waiting.Select(c => c.SubjectId)], cancellationToken);
        return waiting.Where(c => byId.ContainsKey(c.SubjectId)).ToDictionary(c => c.Id, c => byId[c.SubjectId]);
    }

    /// <summary>The permits among <paramref name="ids"/> no longer valid or suspended (cancelled, or otherwise closed), with the day of that step.</summary>
    internal static async Task<Dictionary<Guid, DateOnly>> CancelledAsync(ComplianceSweepContext context, List<Guid> ids, CancellationToken cancellationToken)
    {
        var permits = await context.Db.Permits.IgnoreQueryFilters().AsNoTracking()
            .Where(p => ids.Contains(p.Id) && p.Status != PermitStatus.Valid && p.Status != PermitStatus.Suspended)
            .Select(p => new { p.Id, p.UpdatedAt }).ToListAsync(cancellationToken);
        return permits.ToDictionary(p => p.Id, p => Time.LegalClock.DayOf(p.UpdatedAt));
    }
}
