using Microsoft.EntityFrameworkCore;
using Sojourn.Application;
using Sojourn.Application.Actors;
using Sojourn.Application.Audit;
using Sojourn.Application.PersonalData;
using Sojourn.Application.Reporting;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Web.Access.Audit;

namespace Sojourn.Web.Reporting;

/// <summary>Wakes the import worker when a file is uploaded (it also looks every few seconds, and at start-up for interrupted imports).</summary>
internal sealed class ReportImportSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0);

    public void Wake()
    {
        if (_signal.CurrentCount == 0)
        {
            _signal.Release();
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}

/// <summary>
/// Processes stored imports in chunks of <see cref="ReportImportUseCases.ChunkSize"/> rows, each chunk in its own scope
/// and transaction as the uploading reporter (the reports, the rejected rows, the import's progress and the audit
/// entries of the persons written commit together). Reads the file once per run, lazily; an interrupted import
/// (process killed) is resumed at its saved row when the host starts again.
/// </summary>
internal sealed partial class ReportImportWorker(IServiceScopeFactory scopes, ReportImportSignal signal, ILogger<ReportImportWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                IReadOnlyList<Guid> pending;
                await using (var scope = scopes.CreateAsyncScope())
                {
                    scope.ServiceProvider.GetRequiredService<CurrentActor>().Set(ActorIdentity.System("system:imports"));
                    pending = await scope.ServiceProvider.GetRequiredService<ReportImportUseCases>().PendingAsync(stoppingToken);
                }

                foreach (var id in pending)
                {
                    await RunAsync(id, stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(e, Guid.Empty);
            }

            try
            {
                await signal.WaitAsync(Poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Runs one import to its end (or until another worker is found to hold it).</summary>
    public async Task RunAsync(Guid importId, CancellationToken cancellationToken)
    {
        ImportWork? work;
        ActorIdentity? uploader;
        await using (var scope = scopes.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<CurrentActor>().Set(ActorIdentity.System("system:imports"));
            work = await scope.ServiceProvider.GetRequiredService<ReportImportUseCases>().OpenAsync(importId, cancellationToken);
            if (work is null)
            {
                return;
            }

            var user = await scope.ServiceProvider.GetRequiredService<SojournDbContext>().Users.AsNoTracking()
                .FirstOrDefaultAsync(u => u.Id == work.AccountId, cancellationToken);
            uploader = user is null ? null : new ActorIdentity(
                user.Id, user.UserName ?? "", user.Role, user.Office,
                new ActorScope(Roles.ReachOf(user.Role), SojournUser.SplitCodes(user.Divisions), SojournUser.SplitCodes(user.Stations), user.PersonIdHmac, user.Id));
        }

        if (uploader is null)
        {
            await FailAsync(importId, cancellationToken);
            return;
        }

        using var content = new MemoryStream(work.Content, false);
        using var rows = ReportImportFile.Rows(content, work.Format, work.NextRow).GetEnumerator();
        var version = work.Version;
        while (true)
        {
            var batch = new List<ImportRow>(ReportImportUseCases.ChunkSize);
            var more = true;
            try
            {
                while (batch.Count < ReportImportUseCases.ChunkSize && (more = rows.MoveNext()))
                {
                    batch.Add(rows.Current);
                }
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException or IOException or ArgumentException)
            {
                LogFailed(e, importId);
                await FailAsync(importId, cancellationToken);
                return;
            }

            try
            {
                // The chunk and the entries of the people it names commit together (as the uploader).
                var last = !more;
                var outcome = await AuditedOperation.RunAsync(scopes, uploader, "ImportReports", (services, actor, ct) =>
                    services.GetRequiredService<ReportImportUseCases>()
                        .ProcessChunkAsync(importId, version, batch, batch.Count, last, work.Headers, actor, ct), cancellationToken);
                if (!outcome.TryGetValue(out var result, out _))
                {
                    return; // another worker holds it, or it ended
                }

                version = result.Version;
                if (result.Finished)
                {
                    LogDone(importId, result.Processed);
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The chunk rolled back whole; the import stops at its last committed row and a re-upload resumes it.
                LogFailed(e, importId);
                await FailAsync(importId, cancellationToken);
                return;
            }
        }
    }

    private async Task FailAsync(Guid importId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentActor>().Set(ActorIdentity.System("system:imports"));
        await scope.ServiceProvider.GetRequiredService<ReportImportUseCases>().FailAsync(importId, Messages.Get("Import_Interrupted"), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Report import {ImportId} done: {Rows} rows")]
    private partial void LogDone(Guid importId, int rows);

    [LoggerMessage(Level = LogLevel.Error, Message = "Report import {ImportId} failed")]
    private partial void LogFailed(Exception e, Guid importId);
}
