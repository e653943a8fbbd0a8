using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sojourn.Data;
using Sojourn.Data.Permits;
using Sojourn.Data.Security;
using Sojourn.Rules.Evaluation;
using Sojourn.Rules.Permits;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Permits;

/// <summary>
/// What the permit steps still handled in the web host need, once per request: the database, the China clock, the
/// policy terms in force, what a step records, and the save through the unit of work. The use cases moved to
/// Sojourn.Application (Get, Approve, Refuse, the sweep) use PermitStore, PermitMapper and PermitFailures instead,
/// which this class delegates to.
/// </summary>
public sealed class PermitContext(
    SojournDbContext db,
    ChinaClock clock,
    IdentityProtector protector,
    PermitLifecycle lifecycle,
    PolicyService policies,
    IHttpContextAccessor accessor,
    Application.Events.UnitOfWork unitOfWork)
{
    // Loading, terms, steps and saving are PermitStore's, on this context's clock (the demo seeder shifts it).
    private readonly PermitStore _store = new(db, unitOfWork, lifecycle, clock, protector, policies);

    public SojournDbContext Db => db;
    public ChinaClock Clock => clock;
    public IdentityProtector Protector => protector;
    public PermitLifecycle Lifecycle => lifecycle;
    public PolicyService Policies => policies;
    public HttpContext? Http => accessor.HttpContext;

    /// <summary>The acting account as <c>role:userName</c>, recorded with every step.</summary>
    public string Actor => accessor.HttpContext is { } http ? Access.ClaimsActorSource.Label(http) : "system";

    public string ActorRole => accessor.HttpContext is { } http ? Access.SojournClaims.Role(http.User) ?? "" : "system";

    public string? Office => accessor.HttpContext?.User.FindFirst(Access.SojournClaims.Office)?.Value;

    /// <summary>The terms in force at the permit's residence on <paramref name="on"/> (default today).</summary>
    public PermitTerms? TermsFor(string residenceDivision, DateOnly? on = null) => _store.TermsFor(residenceDivision, on);

    public Task<Permit?> FindAsync(Guid id, CancellationToken cancellationToken) => _store.FindAsync(id, cancellationToken);

    /// <summary>Found and not stale; a missing version is 428, a stale one 409 (as for registrations).</summary>
    public async Task<(Permit? Permit, ProblemHttpResult? Problem)> LoadForUpdateAsync(
        Guid id, int? expectedVersion, CancellationToken cancellationToken) =>
        (await _store.LoadForUpdateAsync(id, expectedVersion, cancellationToken)).TryGetValue(out var permit, out var failure)
            ? (permit, null)
            : (null, ApiProblems.Result(failure));

    /// <summary>
    /// What a step records in the history (written by PermitHistoryHandler when the unit of work saves): the time,
    /// the legal day, the basis and the engine stamp of the terms (or evaluation) the step rests on.
    /// </summary>
    public PermitStep Step(
        DateOnly effectiveOn, string? basis, PermitTerms? terms, object? details = null, string? reason = null, JsonNode? engine = null) =>
        _store.Step(effectiveOn, basis, terms, details, reason, engine);

    /// <summary>The engine stamp of a set of terms, in the evaluation result's shape.</summary>
    public static JsonObject EngineStamp(PermitTerms terms) => PermitStore.EngineStamp(terms);

    /// <summary>
    /// Saves through the unit of work: one transaction (joining the access filter's, so the audit entry commits with
    /// the step), the permit's events dispatched first (history rows, the e-permit credential). A lost race is 409
    /// and a second current permit for the person is 409 (the database's one-permit index).
    /// </summary>
    /// <param name="onePermit">The chain's one-permit term, cited in the 409 where the step knows it.</param>
    public async Task<ProblemHttpResult?> SaveAsync(Guid permitId, Func<Task>? beforeSave, CancellationToken cancellationToken, Cited<bool>? onePermit = null) =>
        await _store.SaveAsync(permitId, beforeSave, cancellationToken, e => IsOnePermitViolation(e) ? AlreadyHeldFailure(onePermit) : null) is { } failure
            ? ApiProblems.Result(failure)
            : null;

    public static bool IsOnePermitViolation(DbUpdateException e) => PermitStore.IsOnePermitViolation(e);

    public static ProblemHttpResult NotFound() => ApiProblems.Result(PermitFailures.NotFound());

    public static ProblemHttpResult Stale(int currentVersion) => ApiProblems.Result(PermitFailures.Stale(currentVersion));

    /// <summary>
    /// 409 one person, one permit: citing the jurisdiction's article (山东 第九条, 大同 第十九条, 山西 第十七条), or saying
    /// that the policy is silent and the constraint is the recorded decision.
    /// </summary>
    public static ProblemHttpResult AlreadyHeld(Cited<bool>? onePermit = null) => ApiProblems.Result(AlreadyHeldFailure(onePermit));

    private static Failure AlreadyHeldFailure(Cited<bool>? onePermit) => PermitFailures.AlreadyHeld(onePermit);

    /// <summary>The step is not open to a permit in its current status (e.g. endorsing a cancelled permit).</summary>
    public static ProblemHttpResult WrongStatus(Permit permit, string step) => ApiProblems.Result(PermitFailures.WrongStatus(permit, step));

    public static ProblemHttpResult NoPolicy(string division) => ApiProblems.Result(PermitFailures.NoPolicy(division));

    public static JsonSerializerOptions JsonOptions => Application.Permits.PermitHistoryHandler.JsonOptions;

    /// <summary>
    /// A new permit row for the person of a confirmed registration: who they are (identity number as
    /// cipher, lookup hash and masked form only), where they live, the station and issuing organ, the photo.
    /// The caller sets what the step decides (dates, number, policy, applicant).
    /// </summary>
    public static Permit FromRegistration(
        Data.Registrations.Registration registration, Data.Registrations.RegistrationRecord record,
        string kind, string status, string authorityName, DateTime now, string actor) =>
        PermitRows.FromRegistration(registration, record, kind, status, authorityName, now, actor);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Kept as the steps call it; the mapping is PermitMapper's.")]
    public PermitDto ToDto(Permit p) => PermitMapper.ToDto(p);

    public static PermitEventDto ToDto(PermitEvent e) => PermitMapper.ToDto(e);
}
