using Microsoft.EntityFrameworkCore;
using Sojourn.Data.Compliance;
using Sojourn.Data.Permits;
using Sojourn.Rules.Compliance;
using Sojourn.Rules.Evaluation;

namespace Sojourn.Application.Compliance;

/// <summary>
/// Permits: a missed endorsement (person.endorse-permit, past its due day on a valid or suspended permit) opens a case
/// per permit and due day. The policies in the seeds attach no fine to it (the lapse itself is the permit sweep's
/// suspension), so the case carries no sanction: the station follows it up and closes it (dismissed with the reason,
/// or corrected by the late endorsement).
/// </summary>
internal sealed class PermitComplianceSource : IComplianceSource
{
    public const string SourceName = "permit";
    public const string EndorseDuty = "person.endorse-permit";

    public string Name => SourceName;

    public async Task<int> OpenCasesAsync(ComplianceSweepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var db = context.Db;
        var today = context.Today;
        var missed = await db.Permits.AsNoTracking()
            .Where(p => (p.Status == PermitStatus.Valid || p.Status == PermitStatus.Suspended) && p.EndorsementDue != null && p.EndorsementDue < today)
            .Select(p => new { p.Id, p.RegistrationId, p.PersonIdHmac, p.ResidenceDivisionCode, p.StationCode, p.PolicyId, Due = p.EndorsementDue!.Value })
            .ToListAsync(cancellationToken);
        var keys = missed.Select(p => Key(p.Id, p.Due)).ToList();
        var existing = (await db.ComplianceCases.IgnoreQueryFilters().AsNoTracking().Where(c => keys.Contains(c.DutyKey))
            .Select(c => c.DutyKey).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        foreach (var p in missed.Where(p => !existing.Contains(Key(p.Id, p.Due))))
        {
            var chain = PolicyCatalog.Default.Resolve(p.PolicyId, p.ResidenceDivisionCode, p.Due);
            var duty = chain?.Duties.FirstOrDefault(d => d.Rule.Id == EndorseDuty);
            var s = chain is null ? null : SanctionTerms.For(chain.Key, EndorseDuty, PartyKind.Individual);
            db.ComplianceCases.Add(CaseSanction.Apply(new ComplianceCase
            {
                DutyKey = Key(p.Id, p.Due),
                Source = SourceName,
                SubjectId = p.Id,
                RegistrationId = p.RegistrationId,
                PersonIdHmac = p.PersonIdHmac,
                ResidenceDivisionCode = p.ResidenceDivisionCode,
                StationCode = p.StationCode,
                Duty = EndorseDuty,
                Party = "person",
                DutyBasis = duty?.Basis,
                Due = p.Due,
                DutyStatus = DutyStatuses.Overdue,
                Policies = chain?.Key,
                Engine = RegistrationDuties.Stamp(Evaluator.Version, chain?.Hashes ?? new Dictionary<string, string>()),
                OpenedOn = today,
                OpenedAt = context.Now,
                OpenedBy = context.Actor,
                UpdatedAt = context.Now,
                Version = 1,
            }, s));
        }

        await db.SaveChangesAsync(cancellationToken);
        return missed.Count;
    }

    public async Task<IReadOnlyDictionary<long, DateOnly>> DoneAsync(
        ComplianceSweepContext context, IReadOnlyList<ComplianceCase> waiting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(waiting);
        var ids = waiting.Select(c => c.SubjectId).ToList();
        // Endorsed since: the next due day moved past the case's.
        var permits = await context.Db.Permits.IgnoreQueryFilters().AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new { p.Id, p.EndorsementDue, p.UpdatedAt }).ToListAsync(cancellationToken);
        var result = new Dictionary<long, DateOnly>();
        foreach (var c in waiting)
        {
            if (permits.Find(p => p.Id == c.SubjectId) is { } p && (p.EndorsementDue is null || p.EndorsementDue > c.Due))
            {
                result[c.Id] = Time.LegalClock.DayOf(p.UpdatedAt);
            }
        }

        return result;
    }

    private static string Key(Guid permitId, DateOnly due) => $"permit:{permitId}:{EndorseDuty}:{due:yyyy-MM-dd}";
}
