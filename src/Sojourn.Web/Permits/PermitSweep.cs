using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sojourn.Data.Permits;
using Sojourn.Rules.Permits;

namespace Sojourn.Web.Permits;

/// <summary>One permit the sweep changed (the registration id also lets the audit name the person).</summary>
public sealed record SweptPermit(Guid PermitId, Guid RegistrationId, string Kind, string StatusAfter, DateOnly EffectiveOn, string? Basis);

/// <summary>What one sweep did, as of its day.</summary>
public sealed record SweepResult(DateOnly AsOf, int Suspended, int Voided, int Expired, IReadOnlyDictionary<string, int> Other, IReadOnlyList<SweptPermit> Changes);

/// <summary>
/// A further daily step another module adds to the sweep (e.g. cancelling after the return exception ends);
/// it changes permits through <see cref="PermitContext"/> and saves them itself, and returns how many it changed.
/// </summary>
public interface IPermitSweepStep
{
    string Name { get; }

    Task<int> RunAsync(PermitContext ctx, DateOnly asOf, CancellationToken cancellationToken);
}

/// <summary><c>Sojourn:Permits:Sweep</c>: how often the daily job runs in the web host (0 = off, the default).</summary>
public sealed class PermitSweepOptions
{
    public int IntervalMinutes { get; set; }
}

/// <summary>
/// The daily job, as of today: a valid permit whose endorsement is past due becomes suspended or void as
/// the terms in force on its due day say (event endorsement-missed); a valid or suspended permit past its
/// last day of validity expires. Only what is due changes, so running it twice changes nothing more
/// (idempotent). Runs under the caller's reach: a station chief sweeps their jurisdiction, the hosted
/// service (no request, "system") everything.
/// </summary>
public sealed class PermitSweeper(PermitContext ctx, IEnumerable<IPermitSweepStep> steps)
{
    private const int Chunk = 100;

    public async Task<(SweepResult? Result, ProblemHttpResult? Problem)> RunAsync(CancellationToken cancellationToken)
    {
        var today = ctx.Clock.Today;
        var changes = new List<SweptPermit>();

        // Expiry first: a permit past its validity expires rather than being suspended for a missed endorsement.
        var expiring = await ctx.Db.Permits.AsNoTracking()
            .Where(p => (p.Status == PermitStatus.Valid || p.Status == PermitStatus.Suspended) && p.ValidUntil != null && p.ValidUntil < today)
            .Select(p => p.Id).ToListAsync(cancellationToken);
        var problem = await InChunksAsync(expiring, p => Expire(p, changes), cancellationToken);
        if (problem is not null)
        {
            return (null, problem);
        }

        var missed = await ctx.Db.Permits.AsNoTracking()
            .Where(p => p.Status == PermitStatus.Valid && p.EndorsementDue != null && p.EndorsementDue < today)
            .Select(p => p.Id).ToListAsync(cancellationToken);
        problem = await InChunksAsync(missed, p => Lapse(p, today, changes), cancellationToken);
        if (problem is not null)
        {
            return (null, problem);
        }

        var other = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            other[step.Name] = await step.RunAsync(ctx, today, cancellationToken);
        }

        return (new SweepResult(today,
            changes.Count(c => c.StatusAfter == PermitStatus.Suspended),
            changes.Count(c => c.StatusAfter == PermitStatus.Void),
            changes.Count(c => c.StatusAfter == PermitStatus.Expired),
            other, changes), null);
    }

    private async Task<ProblemHttpResult?> InChunksAsync(List<Guid> ids, Func<Permit, bool> change, CancellationToken cancellationToken)
    {
        foreach (var chunk in ids.Chunk(Chunk))
        {
            var permits = await ctx.Db.Permits.Where(p => chunk.Contains(p.Id)).ToListAsync(cancellationToken);
            var changed = permits.Where(change).ToList();
            if (changed.Count == 0)
            {
                continue;
            }

            var problem = await ctx.SaveAsync(changed[0].Id, null, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private bool Expire(Permit permit, List<SweptPermit> changes)
    {
        if (!permit.IsOpen("expire") || permit.ValidUntil is null)
        {
            return false; // changed since the candidates were listed
        }

        var until = permit.ValidUntil!.Value;
        var terms = ctx.TermsFor(permit.ResidenceDivisionCode, until);
        var basis = permit.Kind == PermitKind.Transitional ? terms?.EarlierPermitsStayValid.Basis : terms?.Validity?.Basis;
        var effective = until.AddDays(1); // the first day no longer valid
        permit.Expire(ctx.Step(effective, basis ?? permit.PolicyId, terms, new { validUntil = until }));
        changes.Add(new SweptPermit(permit.Id, permit.RegistrationId, PermitEventKind.Expired, permit.Status, effective, basis));
        return true;
    }

    private bool Lapse(Permit permit, DateOnly today, List<SweptPermit> changes)
    {
        if (permit.Status != PermitStatus.Valid || permit.EndorsementDue is not { } due || due >= today)
        {
            return false; // changed since the candidates were listed
        }

        // The law in force on the day the endorsement fell due decides what missing it does.
        var terms = ctx.TermsFor(permit.ResidenceDivisionCode, due);
        if (terms is null)
        {
            return false;
        }

        var effective = due.AddDays(1); // the first day after the due day
        permit.MissEndorsement(terms.MissedEndorsement.Value == LapseEffect.Void, ctx.Step(effective, terms.MissedEndorsement.Basis, terms, new
        {
            year = permit.EndorsementsDone + 1,
            window = new { opens = permit.EndorsementOpens, due },
            effect = terms.MissedEndorsement.Value == LapseEffect.Void ? "void" : "suspended",
            note = terms.MissedEndorsement.Note,
        }));
        changes.Add(new SweptPermit(permit.Id, permit.RegistrationId, PermitEventKind.EndorsementMissed, permit.Status, effective, terms.MissedEndorsement.Basis));
        return true;
    }

    /// <summary>POST /api/v1/permits/sweep: a station chief runs the day's sweep over their jurisdiction now.</summary>
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/sweep", async (PermitSweeper sweeper, CancellationToken ct) =>
            {
                var (result, problem) = await sweeper.RunAsync(ct);
                return problem is not null
                    ? (Results<Ok<SweepResult>, ProblemHttpResult>)problem
                    : TypedResults.Ok(result!);
            })
            .WithName("SweepPermits")
            .WithSummary("居住证日常核查：逾期未签注中止或废止、有效期满失效")
            .ProducesProblem(StatusCodes.Status409Conflict);
}

/// <summary>Runs the sweep every <see cref="PermitSweepOptions.IntervalMinutes"/> (off when 0, as in tests).</summary>
public sealed partial class PermitSweepService(IServiceScopeFactory scopes, IOptions<PermitSweepOptions> options, ILogger<PermitSweepService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.IntervalMinutes <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.IntervalMinutes));
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var (result, problem) = await scope.ServiceProvider.GetRequiredService<PermitSweeper>().RunAsync(stoppingToken);
                if (result is not null)
                {
                    LogSwept(result.AsOf, result.Suspended, result.Voided, result.Expired);
                }
                else
                {
                    // A concurrent step changed a permit; the next run picks it up (the sweep is idempotent).
                    LogConflict(problem?.ProblemDetails.Detail);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Permit sweep as of {AsOf}: {Suspended} suspended, {Voided} void, {Expired} expired")]
    private partial void LogSwept(DateOnly asOf, int suspended, int voided, int expired);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Permit sweep stopped by a concurrent change: {Detail}")]
    private partial void LogConflict(string? detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Permit sweep failed")]
    private partial void LogFailed(Exception e);
}
