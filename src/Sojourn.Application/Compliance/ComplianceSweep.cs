using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Application.Time;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Compliance;
using Sojourn.Data.Registrations;
using Sojourn.Rules.Compliance;
using Sojourn.Rules.Evaluation;

namespace Sojourn.Application.Compliance;

/// <summary>What one sweep did, as of its day.</summary>
public sealed record ComplianceSweepResult(DateOnly AsOf, int Evaluated, int Opened, int Corrected, int Escalated, IReadOnlyDictionary<string, int> OpenedBySource);

/// <summary>
/// The sweep's reach and day, shared by its sources: the actor's jurisdiction as a SQL condition over a table with
/// <c>"ResidenceDivisionCode"</c> and <c>"StationCode"</c> (the same test as the query filters: raw SQL bypasses them).
/// </summary>
public sealed class ComplianceSweepContext(SojournDbContext db, DateOnly today, DateTime now, string actor, ActorScope scope)
{
    public SojournDbContext Db => db;
    public DateOnly Today => today;
    public DateTime Now => now;
    public string Actor => actor;
    public ActorScope Scope => scope;
    public bool IsPostgres => db.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true;

    /// <summary>The jurisdiction condition on alias <paramref name="alias"/>; appends its values to <paramref name="args"/> ({n} placeholders).</summary>
    public string Reach(string alias, List<object> args) => Reach(alias, args, "ResidenceDivisionCode");

    /// <summary>The same condition over a table whose division column is <paramref name="divisionColumn"/> (establishments: <c>DivisionCode</c>).</summary>
    public string Reach(string alias, List<object> args, string divisionColumn)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (scope.Reach == ActorReach.System)
        {
            return "TRUE";
        }

        if (scope.Reach != ActorReach.Jurisdiction)
        {
            return "FALSE";
        }

        var parts = new List<string>();
        foreach (var d in scope.Divisions)
        {
            args.Add(d + "%");
            parts.Add($"{alias}.\"{divisionColumn}\" LIKE {{{args.Count - 1}}}");
        }

        foreach (var s in scope.Stations)
        {
            args.Add(s);
            parts.Add($"{alias}.\"StationCode\" = {{{args.Count - 1}}}");
        }

        return parts.Count == 0 ? "FALSE" : "(" + string.Join(" OR ", parts) + ")";
    }

    /// <summary>The same test in memory, for the rows a source checks one by one.</summary>
    public bool Reaches(string division, string? station)
    {
        ArgumentNullException.ThrowIfNull(division);
        return scope.Reach == ActorReach.System
            || (scope.Reach == ActorReach.Jurisdiction
                && (scope.Divisions.Any(d => division.StartsWith(d, StringComparison.Ordinal)) || (station is not null && scope.Stations.Contains(station))));
    }

    /// <summary>A SQL integer literal or NULL (values from the policy files, never user input).</summary>
    public static string Number(int? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "NULL";

    public static string Flag(bool v) => v ? "TRUE" : "FALSE";

    /// <summary>A SQL string literal or NULL, quotes doubled (citations from the policy files, never user input).</summary>
    public static string Text(string? v) => v is null ? "NULL" : "'" + v.Replace("'", "''", StringComparison.Ordinal) + "'";
}

/// <summary>
/// One kind of duty the sweep checks: stays (registration), permits (endorsement), and later reports (unreported
/// tenants, hires, departures — the integrator registers report14's source here). A source opens a case per duty
/// instance overdue or met late, keyed so that a second run inserts nothing (<see cref="ComplianceCase.DutyKey"/>), and
/// says whether the duty of a waiting case has since been done.
/// </summary>
public interface IComplianceSource
{
    string Name { get; }

    /// <summary>Opens the missing cases (set-based where it can); returns how many stays/records it evaluated.</summary>
    Task<int> OpenCasesAsync(ComplianceSweepContext context, CancellationToken cancellationToken);

    /// <summary>The day the duty of a waiting case of this source was done, or null while it is not.</summary>
    Task<IReadOnlyDictionary<long, DateOnly>> DoneAsync(ComplianceSweepContext context, IReadOnlyList<ComplianceCase> waiting, CancellationToken cancellationToken);
}

/// <summary>
/// The compliance sweep (nightly in the web host, on demand for a station, <c>sojourn compliance sweep</c>): every
/// source opens its cases, then each case waiting on an order's limit is closed as corrected when its duty was done in
/// time, or escalated to a decision when the limit passed uncorrected. Runs under the actor's reach.
/// </summary>
public sealed partial class ComplianceSweepUseCase(
    SojournDbContext db, IEnumerable<IComplianceSource> sources, ILegalClock clock, PersonalDataLedger ledger, ILogger<ComplianceSweepUseCase> logger)
{
    public async Task<Outcome<ComplianceSweepResult>> HandleAsync(CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Scope.Reach is not (ActorReach.System or ActorReach.Jurisdiction))
        {
            return Failure.Of(ErrorCode.OutsideJurisdiction, "Error_OutsideJurisdiction_Detail", "-");
        }

        var context = new ComplianceSweepContext(db, clock.Today, clock.UtcNow, actor.Label, actor.Scope);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            var owns = db.Database.CurrentTransaction is null;
            await using var transaction = owns ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            var evaluated = 0;
            var bySource = new Dictionary<string, int>(StringComparer.Ordinal);
            // Cases are only ever added: the ones this run opens are above the highest id now and have no event yet
            // (a concurrent sweep's committed cases have theirs), so the bookkeeping below reads a key range, not the table,
            // and no case is written twice (sources insert at version 1, the version of the opening event).
            var before = await db.ComplianceCases.IgnoreQueryFilters().MaxAsync(c => (long?)c.Id, cancellationToken) ?? 0;
            var watch = Stopwatch.StartNew();
            foreach (var source in sources)
            {
                evaluated += await source.OpenCasesAsync(context, cancellationToken);
                LogStep(logger, source.Name, watch.ElapsedMilliseconds);
                watch.Restart();
            }

            // Each new case gets its opening event and is declared: a case is a record about a person.
            var opened = await db.ComplianceCases.IgnoreQueryFilters().AsNoTracking()
                .Where(c => c.Id > before && !db.ComplianceCaseEvents.IgnoreQueryFilters().Any(e => e.CaseId == c.Id))
                .Select(c => new { c.Source, c.PersonIdHmac, c.ResidenceDivisionCode, c.RegistrationId }).ToListAsync(cancellationToken);
            foreach (var c in opened)
            {
                bySource[c.Source] = bySource.GetValueOrDefault(c.Source) + 1;
                ledger.Wrote(new PersonRef(c.PersonIdHmac, c.ResidenceDivisionCode, c.RegistrationId), ["complianceCase"]);
            }

            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO \"ComplianceCaseEvents\" (\"CaseId\", \"Number\", \"Kind\", \"On\", \"At\", \"Actor\", \"State\", \"Basis\", \"Details\") "
                + "SELECT c.\"Id\", 1, 'opened', c.\"OpenedOn\", c.\"OpenedAt\", c.\"OpenedBy\", c.\"State\", c.\"DutyBasis\", NULL "
                + "FROM \"ComplianceCases\" c WHERE c.\"Id\" > {0} AND NOT EXISTS (SELECT 1 FROM \"ComplianceCaseEvents\" e WHERE e.\"CaseId\" = c.\"Id\")",
                [before], cancellationToken);
            // A source that still writes version 0 (the event is number 1): brought to the event's version.
            await db.Database.ExecuteSqlRawAsync("UPDATE \"ComplianceCases\" SET \"Version\" = 1 WHERE \"Id\" > {0} AND \"Version\" = 0", [before], cancellationToken);
            LogStep(logger, "opening events", watch.ElapsedMilliseconds);
            watch.Restart();

            var (corrected, escalated) = await FollowUpAsync(context, cancellationToken);
            LogStep(logger, "follow-up", watch.ElapsedMilliseconds);
            watch.Restart();
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            LogStep(logger, "commit", watch.ElapsedMilliseconds);

            return Outcome.Success(new ComplianceSweepResult(context.Today, evaluated, opened.Count, corrected, escalated, bySource));
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Compliance sweep step {Step}: {Milliseconds} ms")]
    private static partial void LogStep(ILogger logger, string step, long milliseconds);

    // Waiting cases are few (an officer ordered each): followed up one by one through the entity, with history.
    private async Task<(int Corrected, int Escalated)> FollowUpAsync(ComplianceSweepContext context, CancellationToken cancellationToken)
    {
        var waiting = await db.ComplianceCases.Where(c => c.State == CaseState.Waiting).ToListAsync(cancellationToken);
        int corrected = 0, escalated = 0;
        foreach (var group in waiting.GroupBy(c => c.Source))
        {
            var source = sources.FirstOrDefault(s => s.Name == group.Key);
            var done = source is null ? new Dictionary<long, DateOnly>() : await source.DoneAsync(context, [.. group], cancellationToken);
            foreach (var c in group)
            {
                ComplianceCaseEvent? e = null;
                if (done.TryGetValue(c.Id, out var day) && day <= c.CorrectBy)
                {
                    e = CaseSteps.Correct(c, day, context.Today, context.Actor, context.Now);
                    corrected++;
                }
                else if (c.CorrectBy < context.Today)
                {
                    e = CaseSteps.Escalate(c, context.Today, context.Actor, context.Now);
                    escalated++;
                }

                if (e is not null)
                {
                    db.ComplianceCaseEvents.Add(e);
                    ledger.Wrote(new PersonRef(c.PersonIdHmac, c.ResidenceDivisionCode, c.RegistrationId), ["complianceCase.state"]);
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return (corrected, escalated);
    }
}

/// <summary>The sweep's own steps on a case (the officer's are on the entity): correction in time, escalation.</summary>
internal static class CaseSteps
{
    public static ComplianceCaseEvent Correct(ComplianceCase c, DateOnly doneOn, DateOnly today, string actor, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(c);
        c.DoneOn = doneOn;
        var e = c.Decide(CaseOutcome.Corrected, null, false, null, c.SanctionBasis, today, actor, now);
        return new ComplianceCaseEvent
        {
            CaseId = e.CaseId,
            Number = e.Number,
            Kind = CaseEventKind.Corrected,
            On = e.On,
            At = e.At,
            Actor = e.Actor,
            State = e.State,
            Basis = e.Basis,
            Details = $"{{\"doneOn\":\"{doneOn:yyyy-MM-dd}\",\"correctBy\":\"{c.CorrectBy:yyyy-MM-dd}\"}}",
        };
    }

    public static ComplianceCaseEvent Escalate(ComplianceCase c, DateOnly today, string actor, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(c);
        c.State = CaseState.ToDecide;
        c.Version++;
        c.UpdatedAt = now;
        return new ComplianceCaseEvent
        {
            CaseId = c.Id,
            Number = c.Version,
            Kind = CaseEventKind.Escalated,
            On = today,
            At = now,
            Actor = actor,
            State = c.State,
            Basis = c.SanctionBasis,
            Details = $"{{\"correctBy\":\"{c.CorrectBy:yyyy-MM-dd}\"}}",
        };
    }
}

/// <summary>
/// Stays: the person's registration duty stored on each stay (<see cref="RegistrationDuties"/>). Set-based: stored open
/// duties past due become overdue in one UPDATE; then per governing chain (few) one INSERT … SELECT opens a case for every
/// late or overdue duty without one, with the chain's sanction as constants. Stays never evaluated (before this
/// migration) are evaluated first, in batches.
/// </summary>
internal sealed partial class RegistrationComplianceSource(ILogger<RegistrationComplianceSource> logger) : IComplianceSource
{
    public const string SourceName = "registration";
    private const int Batch = 500;

    // The declarant channel of a third party's report (Reporting's Apply).
    private const string ReporterChannel = "reporter";

    public string Name => SourceName;

    public async Task<int> OpenCasesAsync(ComplianceSweepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var db = context.Db;
        var watch = Stopwatch.StartNew();
        await BackfillAsync(context, cancellationToken);
        LogStep(logger, "backfill", watch.ElapsedMilliseconds);
        watch.Restart();

        var args = new List<object> { DutyStatuses.Overdue, DutyStatuses.Open, context.Today };
        var reach = context.Reach("r", args);
        var update = "UPDATE \"Registrations\" AS r SET \"RegistrationDutyStatus\" = {0} WHERE r.\"RegistrationDutyStatus\" = {1} AND r.\"RegistrationDue\" < {2} AND "
            + reach;
        var evaluated = await db.Database.ExecuteSqlRawAsync(update, args, cancellationToken);
        LogStep(logger, "overdue", watch.ElapsedMilliseconds);
        watch.Restart();

        // Only stays with no case yet (open or closed): a stay decided once is not evaluated again. The partial index
        // IX_Registrations_LateOrOverdue holds just the late and overdue stays still open, so this reads those, not the table.
        var chains = await db.Registrations.IgnoreQueryFilters().AsNoTracking()
            .Where(r => r.RegistrationPolicies != null && r.Status != RegistrationStatus.Ended
                && (r.RegistrationDutyStatus == DutyStatuses.Late || r.RegistrationDutyStatus == DutyStatuses.Overdue)
                && !db.ComplianceCases.IgnoreQueryFilters().Any(c => c.SubjectId == r.Id && c.Source == SourceName))
            .Select(r => r.RegistrationPolicies!).Distinct().ToListAsync(cancellationToken);
        LogStep(logger, "chains", watch.ElapsedMilliseconds);
        watch.Restart();
        foreach (var chain in chains)
        {
            var s = SanctionTerms.For(chain, RegistrationDeadlines.Duty, PartyKind.Individual);
            var id = context.IsPostgres ? "r.\"Id\"::text" : "r.\"Id\"";
            var a = new List<object> { chain, context.Today, context.Now, context.Actor };
            var where = context.Reach("r", a);
            var sql = new StringBuilder()
                .Append(CaseSanction.Columns)
                .Append(CultureInfo.InvariantCulture, $"SELECT 'registration:' || {id} || ':{RegistrationDeadlines.Duty}', '{SourceName}', r.\"Id\", r.\"Id\", r.\"PersonIdHmac\", r.\"ResidenceDivisionCode\", ")
                .Append(CultureInfo.InvariantCulture, $"r.\"StationCode\", '{RegistrationDeadlines.Duty}', 'person', r.\"RegistrationDutyBasis\", r.\"RegistrationDue\", r.\"RegisteredOn\", r.\"RegistrationDutyStatus\", ")
                .Append(CaseSanction.SqlValues(s))
                .Append(CultureInfo.InvariantCulture, $"r.\"RegistrationPolicies\", r.\"RegistrationEngine\", '{CaseState.New}', FALSE, {{1}}, {{2}}, {{3}}, {{2}}, 1 ")
                .Append("FROM \"Registrations\" r WHERE r.\"RegistrationPolicies\" = {0} AND r.\"Status\" <> 'ended' ")
                .Append(CultureInfo.InvariantCulture, $"AND r.\"RegistrationDutyStatus\" IN ('{DutyStatuses.Late}', '{DutyStatuses.Overdue}') AND r.\"RegistrationEngine\" IS NOT NULL AND {where} ")
                .Append(CultureInfo.InvariantCulture, $"AND NOT EXISTS (SELECT 1 FROM \"ComplianceCases\" c WHERE c.\"SubjectId\" = r.\"Id\" AND c.\"Source\" = '{SourceName}') ")
                .Append("ON CONFLICT (\"DutyKey\") DO NOTHING");
            await db.Database.ExecuteSqlRawAsync(sql.ToString(), a, cancellationToken);
        }

        LogStep(logger, "cases", watch.ElapsedMilliseconds);
        return evaluated;
    }

    public async Task<IReadOnlyDictionary<long, DateOnly>> DoneAsync(
        ComplianceSweepContext context, IReadOnlyList<ComplianceCase> waiting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(waiting);
        var ids = waiting.Select(c => c.SubjectId).ToList();
        var registered = await context.Db.Registrations.IgnoreQueryFilters().AsNoTracking()
            .Where(r => ids.Contains(r.Id) && r.RegisteredOn != null)
            .Select(r => new { r.Id, r.RegisteredOn }).ToListAsync(cancellationToken);
        var byId = registered.ToDictionary(r => r.Id, r => r.RegisteredOn!.Value);
        return waiting.Where(c => byId.ContainsKey(c.SubjectId)).ToDictionary(c => c.Id, c => byId[c.SubjectId]);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registration source step {Step}: {Milliseconds} ms")]
    private static partial void LogStep(ILogger logger, string step, long milliseconds);

    private static async Task BackfillAsync(ComplianceSweepContext context, CancellationToken cancellationToken)
    {
        var db = context.Db;
        while (true)
        {
            var ids = await db.Registrations.IgnoreQueryFilters().AsNoTracking()
                .Where(r => r.RegistrationEngine == null).OrderBy(r => r.Id).Select(r => r.Id).Take(Batch).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                return;
            }

            var stays = await db.Registrations.IgnoreQueryFilters().Where(r => ids.Contains(r.Id)).ToListAsync(cancellationToken);
            var records = await db.RegistrationVersions.IgnoreQueryFilters().AsNoTracking()
                .Where(v => ids.Contains(v.RegistrationId)).GroupBy(v => v.RegistrationId)
                .Select(g => g.OrderByDescending(v => v.Number).First()).ToListAsync(cancellationToken);
            var byId = records.ToDictionary(v => v.RegistrationId, v => v.Record);
            var reported = (await db.RegistrationVersions.IgnoreQueryFilters().AsNoTracking()
                .Where(v => ids.Contains(v.RegistrationId) && v.Number == 1 && v.DeclarantChannel == ReporterChannel)
                .Select(v => v.RegistrationId).ToListAsync(cancellationToken)).ToHashSet();
            foreach (var stay in stays)
            {
                // Declared before the deadline was stored: the declaration day is the person's — unless a reporter
                // declared it (ADR 0009: a landlord's report does not meet the person's duty; it stays pending).
                if (!reported.Contains(stay.Id))
                {
                    stay.RecordRegistered(Time.LegalClock.DayOf(stay.DeclaredAt));
                }

                RegistrationDuties.Apply(stay, byId[stay.Id], context.Today);
            }

            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
    }
}
