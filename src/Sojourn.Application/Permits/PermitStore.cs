using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Sojourn.Application.Errors;
using Sojourn.Application.Events;
using Sojourn.Application.Time;
using Sojourn.Data;
using Sojourn.Data.Permits;
using Sojourn.Data.Security;
using Sojourn.Rules.Evaluation;
using Sojourn.Rules.Permits;

namespace Sojourn.Application.Permits;

/// <summary>
/// Loads and saves permits for the use cases: found and not stale, the terms in force, what a step records, and the
/// save through the unit of work (the permit's events dispatched in the same transaction).
/// </summary>
public sealed class PermitStore(
    SojournDbContext db, UnitOfWork unitOfWork, PermitLifecycle lifecycle, ILegalClock clock, IdentityProtector protector, PolicyService policies)
{
    public SojournDbContext Db => db;
    public PermitLifecycle Lifecycle => lifecycle;
    public ILegalClock Clock => clock;
    public IdentityProtector Protector => protector;

    /// <summary>The contract's engine (eligibility cases), on the same clock as the store.</summary>
    public PolicyService Policies => policies;

    /// <summary>The terms in force at the permit's residence on <paramref name="on"/> (default today).</summary>
    public PermitTerms? TermsFor(string residenceDivision, DateOnly? on = null) => lifecycle.Terms(residenceDivision, on ?? clock.Today);

    public Task<Permit?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Permits.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);

    /// <summary>
    /// Found, not stale and with <paramref name="step"/> open in its state: how most steps begin (the order of the
    /// checks is the order of the answers: 404, 428, 409 stale, then 409 wrong status).
    /// </summary>
    public async Task<Outcome<Permit>> LoadOpenAsync(Guid id, int? expectedVersion, string step, CancellationToken cancellationToken)
    {
        var loaded = await LoadForUpdateAsync(id, expectedVersion, cancellationToken);
        if (!loaded.TryGetValue(out var permit, out var failure))
        {
            return failure;
        }

        return permit.IsOpen(step) ? permit : PermitFailures.WrongStatus(permit, step);
    }

    /// <summary>Found and not stale; a missing version is 428, a stale one 409 (as for registrations).</summary>
    public async Task<Outcome<Permit>> LoadForUpdateAsync(Guid id, int? expectedVersion, CancellationToken cancellationToken)
    {
        if (expectedVersion is null)
        {
            return PermitFailures.PreconditionRequired();
        }

        var permit = await FindAsync(id, cancellationToken);
        if (permit is null)
        {
            return PermitFailures.NotFound();
        }

        return permit.Version != expectedVersion ? PermitFailures.Stale(permit.Version) : permit;
    }

    /// <summary>What a step records in the history: now, the legal day, the basis and the engine stamp of the terms.</summary>
    public PermitStep Step(
        DateOnly effectiveOn, string? basis, PermitTerms? terms, object? details = null, string? reason = null, JsonNode? engine = null) =>
        new(clock.UtcNow, effectiveOn, basis, (engine ?? (terms is null ? null : EngineStamp(terms)))?.ToJsonString(), details, reason);

    /// <summary>The engine stamp of a set of terms, in the evaluation result's shape.</summary>
    public static JsonObject EngineStamp(PermitTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var hashes = new JsonObject();
        foreach (var (id, hash) in terms.PolicyHashes)
        {
            hashes[id] = hash;
        }

        return new JsonObject { ["version"] = terms.EngineVersion, ["policyHashes"] = hashes };
    }

    /// <summary>
    /// Saves through the unit of work. A lost race is 409 stale; a broken unique key is what <paramref name="onUnique"/>
    /// says (e.g. the one-permit index), else stale too. Null when saved.
    /// </summary>
    public async Task<Failure?> SaveAsync(
        Guid permitId, Func<Task>? beforeSave, CancellationToken cancellationToken, Func<DbUpdateException, Failure?>? onUnique = null)
    {
        var conflict = await unitOfWork.SaveAsync(beforeSave, cancellationToken);
        if (conflict is null)
        {
            return null;
        }

        if (conflict is not DbUpdateConcurrencyException && onUnique?.Invoke(conflict) is { } failure)
        {
            return failure;
        }

        return PermitFailures.Stale(await db.Permits.AsNoTracking().Where(p => p.Id == permitId).Select(p => p.Version).FirstOrDefaultAsync(cancellationToken));
    }

    /// <summary>Saves a step that may create a second current permit: the one-permit index's 409 cites <paramref name="onePermit"/>.</summary>
    public Task<Failure?> SaveOnePermitAsync(Guid permitId, Func<Task>? beforeSave, Cited<bool>? onePermit, CancellationToken cancellationToken) =>
        SaveAsync(permitId, beforeSave, cancellationToken, e => IsOnePermitViolation(e) ? PermitFailures.AlreadyHeld(onePermit) : null);

    /// <summary>A second current permit for the person: the database's one-permit index.</summary>
    public static bool IsOnePermitViolation(DbUpdateException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.InnerException switch
        {
            // SQLite names the column of the index; PermitNumber and StatusIndex are the other unique keys.
            Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.Message.Contains("Permits.PersonIdHmac", StringComparison.Ordinal),
            Npgsql.PostgresException pg => pg.ConstraintName == SojournDbContext.OnePermitIndex,
            _ => false,
        };
    }
}
