using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.Events;
using Sojourn.Application.PersonalData;
using Sojourn.Application.Time;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Reporting;
using Sojourn.Data.Security;

namespace Sojourn.Application.Reporting;

/// <summary>An upload: the establishment the rows are reported for, the file's name and its bytes.</summary>
internal sealed record ImportUpload(Guid? EstablishmentId, string? FileName, byte[] Content);

/// <summary>
/// An import as its reporter (and the station) sees it: counts so far and status. <see cref="Existing"/> is true when
/// an upload repeated a file already received for the establishment (nothing new was created).
/// </summary>
internal sealed record ImportDto(
    Guid Id, Guid EstablishmentId, string FileName, string Format, string Status, int Total, int Processed, int Accepted, int Repeated,
    int Rejected, string? Error, DateTime CreatedAt, DateTime? FinishedAt, bool Existing);

/// <summary>What the background worker needs to go on with an import: the file (decrypted), where to resume, and who uploaded it.</summary>
internal sealed record ImportWork(Guid Id, string AccountId, string Format, int NextRow, int Version, byte[] Content, IReadOnlyDictionary<string, string> Headers);

/// <summary>A chunk processed: the import's version after it, and whether the import has ended.</summary>
internal sealed record ImportChunkResult(int Version, bool Finished, int Processed);

/// <summary>
/// Batch reports (issue 14): a reporter uploads a CSV or XLSX file of arrivals and departures for its own
/// establishment; it is stored as an import and processed in chunks in the background. Every row goes through the
/// single report's one validation (<see cref="ReportUseCases.PrepareAsync"/>; for a chunk, its
/// <c>PrepareChunkAsync</c>, which asks the database once per chunk rather than per row) and is saved by its
/// <see cref="ReportUseCases.ApplyAsync"/>, one save per chunk; a bad row saves nothing and is kept as its row, column and reason. The same
/// file again (SHA-256, same establishment) answers with the first import; a row repeating a report already received
/// (the single report's natural key) creates nothing.
/// </summary>
internal sealed class ReportImportUseCases(
    SojournDbContext db,
    ReportUseCases reports,
    IdentityProtector protector,
    ILegalClock clock,
    PersonalDataLedger ledger,
    UnitOfWork unitOfWork)
{
    /// <summary>Rows per transaction: progress moves at least this often, and a crash loses at most this much work.</summary>
    public const int ChunkSize = 500;

    /// <summary>The largest file taken (bytes): some 200,000 rows of CSV.</summary>
    public const int MaxFileBytes = 64 * 1024 * 1024;

    public async Task<Outcome<ImportDto>> UploadAsync(ImportUpload upload, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(actor);
        if (upload.EstablishmentId is not { } establishmentId || establishmentId == Guid.Empty)
        {
            return Failure.Validation("establishmentId", Messages.Format("Field_Required", Messages.Get("Label_Establishment")));
        }

        // The single report's own check: only an establishment the reporter is linked to.
        var establishment = await reports.EstablishmentOfAsync(establishmentId, actor, cancellationToken);
        if (establishment is null)
        {
            return Failure.Of(ErrorCode.EstablishmentNotYours, "Error_EstablishmentNotYours_Detail");
        }

        var content = upload.Content;
        var format = ReportImportFile.FormatOf(content);
        var headers = content.Length is 0 or > MaxFileBytes ? null : ReportImportFile.ReadHeader(new MemoryStream(content, false), format);
        if (headers is null)
        {
            return Failure.Of(ErrorCode.ImportFileInvalid, "Error_ImportFileInvalid_Detail", string.Join("、", ReportImportFile.RequiredColumns.Select(ReportImportFile.ChineseHeaderOf)));
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        var existing = await db.ReportImports.IgnoreQueryFilters().FirstOrDefaultAsync(i => i.EstablishmentId == establishmentId && i.FileHash == hash, cancellationToken);
        if (existing is not null)
        {
            if (existing.Status == ReportImport.Failed && existing.Content is not null)
            {
                // A stopped import goes on where it stopped: the rows already saved are not read again.
                existing.Status = ReportImport.Queued;
                existing.Error = null;
                existing.Version++;
                existing.UpdatedAt = clock.UtcNow;
                await db.SaveChangesAsync(cancellationToken);
            }

            return Dto(existing, true);
        }

        int total;
        try
        {
            total = ReportImportFile.Count(new MemoryStream(content, false), format);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException or IOException or ArgumentException)
        {
            return Failure.Of(ErrorCode.ImportFileInvalid, "Error_ImportFileInvalid_Detail", string.Join("、", ReportImportFile.RequiredColumns.Select(ReportImportFile.ChineseHeaderOf)));
        }

        var now = clock.UtcNow;
        var import = new ReportImport
        {
            Id = Guid.CreateVersion7(),
            EstablishmentId = establishment.Id,
            DivisionCode = establishment.DivisionCode,
            AccountId = actor.AccountId,
            FileName = SafeFileName(upload.FileName, format),
            Format = format,
            FileHash = hash,
            Status = ReportImport.Queued,
            Total = total,
            Content = protector.EncryptBytes(content),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.ReportImports.Add(import);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same file uploaded twice at once: the other request's import is the one.
            db.Entry(import).State = EntityState.Detached;
            var first = await db.ReportImports.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(i => i.EstablishmentId == establishmentId && i.FileHash == hash, cancellationToken);
            if (first is null)
            {
                throw;
            }

            return Dto(first, true);
        }

        return Dto(import, false);
    }

    public async Task<Outcome<ImportDto>> GetAsync(Guid id, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var import = await db.ReportImports.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        return import is null ? Failure.Of(ErrorCode.ImportNotFound, "Error_ImportNotFound_Detail") : Dto(import, false);
    }

    /// <summary>Recent imports the actor reaches (a reporter: of its establishments; an official: of the jurisdiction), newest first.</summary>
    public async Task<Outcome<IReadOnlyList<ImportDto>>> ListAsync(int take, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var rows = await db.ReportImports.AsNoTracking()
            .OrderByDescending(i => i.CreatedAt)
            .Take(Math.Clamp(take, 1, 100))
            .Select(i => new ImportDto(i.Id, i.EstablishmentId, i.FileName, i.Format, i.Status, i.Total, i.NextRow, i.Accepted, i.Repeated,
                i.Rejected, i.Error, i.CreatedAt, i.FinishedAt, false))
            .ToListAsync(cancellationToken);
        return rows;
    }

    /// <summary>
    /// The rejected rows as CSV (UTF-8 with a byte order mark, so a spreadsheet opens it as such): row, column, reason.
    /// No cell of the row is repeated: the reporter has its file, and the reasons carry no identity number.
    /// </summary>
    public async Task<Outcome<byte[]>> RejectedCsvAsync(Guid id, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!await db.ReportImports.AsNoTracking().AnyAsync(i => i.Id == id, cancellationToken))
        {
            return Failure.Of(ErrorCode.ImportNotFound, "Error_ImportNotFound_Detail");
        }

        var text = new StringBuilder();
        text.Append(Cell(Messages.Get("Import_Csv_Row"))).Append(',').Append(Cell(Messages.Get("Import_Csv_Column"))).Append(',')
            .Append(Cell(Messages.Get("Import_Csv_Reason"))).Append("\r\n");
        await foreach (var r in db.ReportImportRejections.AsNoTracking().Where(r => r.ImportId == id).OrderBy(r => r.RowNumber).ThenBy(r => r.Seq)
                           .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            text.Append(r.RowNumber.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Cell(r.Column)).Append(',').Append(Cell(r.Reason)).Append("\r\n");
        }

        return (byte[])[.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    /// <summary>Imports waiting or interrupted (a crash mid-way leaves one running), oldest first: the worker's queue.</summary>
    public async Task<IReadOnlyList<Guid>> PendingAsync(CancellationToken cancellationToken) =>
        await db.ReportImports.IgnoreQueryFilters().AsNoTracking()
            .Where(i => i.Status == ReportImport.Queued || i.Status == ReportImport.Running)
            .OrderBy(i => i.CreatedAt)
            .Select(i => i.Id)
            .ToListAsync(cancellationToken);

    /// <summary>The import's file and resume point for the worker (system scope); null when there is nothing left to do.</summary>
    public async Task<ImportWork?> OpenAsync(Guid id, CancellationToken cancellationToken)
    {
        var import = await db.ReportImports.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (import is null || import.Content is null || import.Status is not (ReportImport.Queued or ReportImport.Running))
        {
            return null;
        }

        var content = protector.DecryptBytes(import.Content);
        var headers = ReportImportFile.ReadHeader(new MemoryStream(content, false), import.Format) ?? new Dictionary<string, string>();
        return new ImportWork(import.Id, import.AccountId, import.Format, import.NextRow, import.Version, content, headers);
    }

    /// <summary>
    /// Processes the next rows of an import in the caller's transaction, as its uploader: each row is prepared by the
    /// single report's code and applied, or its errors are kept; the import's counts and resume point move in the same
    /// transaction. <paramref name="last"/> ends the import (its file is dropped). A version that moved means another
    /// worker has it: nothing is done.
    /// </summary>
    public async Task<Outcome<ImportChunkResult>> ProcessChunkAsync(
        Guid importId, int version, IReadOnlyList<ImportRow> rows, int rowsRead, bool last, IReadOnlyDictionary<string, string> headers,
        CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(actor);
        var import = await db.ReportImports.IgnoreQueryFilters().FirstOrDefaultAsync(i => i.Id == importId, cancellationToken);
        if (import is null || import.Version != version || import.Status is not (ReportImport.Queued or ReportImport.Running))
        {
            return Failure.Of(ErrorCode.ImportNotFound, "Error_ImportNotFound_Detail");
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        var pending = new HashSet<string>(StringComparer.Ordinal); // persons with rows added but not yet saved
        var touched = new HashSet<string>(StringComparer.Ordinal); // persons any row of this chunk wrote
        // Every row is checked by the single report's rules, the lookups of the whole chunk made together.
        var commands = rows.Select(r => r.Request is null ? null : new ReportCommand(r.Request with { EstablishmentId = import.EstablishmentId }, import.Id)).ToList();
        var preparedRows = await reports.PrepareChunkAsync(commands, actor, cancellationToken);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (commands[i] is not { } command || preparedRows[i] is not { } prepared)
            {
                continue;
            }

            if (prepared.TryGetValue(out var p, out var failure) && row.Errors.Count == 0)
            {
                if (p.Existing is not null || keys.Contains(p.Report.IdempotencyKey))
                {
                    import.Repeated++;
                    continue;
                }

                if (touched.Contains(p.Report.PersonIdHmac))
                {
                    // An earlier row of this chunk touched the same person (an arrival, then a departure): save it first
                    // and look again, so this row sees that stay, exactly as two single reports one after the other would
                    // (the chunk's lookups were made before it).
                    if (pending.Contains(p.Report.PersonIdHmac))
                    {
                        await SaveChunkAsync(cancellationToken);
                        pending.Clear();
                    }

                    prepared = await reports.PrepareAsync(command, actor, cancellationToken);
                    if (!prepared.TryGetValue(out p, out failure))
                    {
                        Reject(import, row, failure, headers);
                        continue;
                    }
                }

                await reports.ApplyAsync(p, actor, cancellationToken);
                keys.Add(p.Report.IdempotencyKey);
                pending.Add(p.Report.PersonIdHmac);
                touched.Add(p.Report.PersonIdHmac);
                ledger.Wrote(new PersonRef(p.Report.PersonIdHmac, p.Report.DivisionCode, p.Report.RegistrationId), p.Fields);
                import.Accepted++;
                continue;
            }

            Reject(import, row, prepared.TryGetValue(out _, out var f) ? null : f, headers);
        }

        var now = clock.UtcNow;
        import.NextRow += rowsRead;
        import.Version++;
        import.UpdatedAt = now;
        import.Status = last ? ReportImport.Done : ReportImport.Running;
        if (last)
        {
            import.Content = null;
            import.FinishedAt = now;
            import.Total = Math.Max(import.Total, import.NextRow);
        }

        await SaveChunkAsync(cancellationToken);
        return new ImportChunkResult(import.Version, last, import.NextRow);
    }

    /// <summary>Stops an import that cannot go on (its file no longer reads); the rows saved so far stay. A re-upload resumes it.</summary>
    public async Task FailAsync(Guid importId, string reason, CancellationToken cancellationToken)
    {
        var import = await db.ReportImports.IgnoreQueryFilters().FirstOrDefaultAsync(i => i.Id == importId, cancellationToken);
        if (import is null)
        {
            return;
        }

        import.Status = ReportImport.Failed;
        import.Error = reason.Length > 500 ? reason[..500] : reason;
        import.Version++;
        import.UpdatedAt = clock.UtcNow;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Saves in the worker's transaction after the registrations' events have appended their versions and evaluated their
    /// duties (the unit of work's dispatch). A broken key throws: the chunk rolls back whole and the import stops there.
    /// </summary>
    private async Task SaveChunkAsync(CancellationToken cancellationToken)
    {
        await unitOfWork.DispatchEventsAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    private void Reject(ReportImport import, ImportRow row, Failure? failure, IReadOnlyDictionary<string, string> headers)
    {
        var seq = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in row.Errors)
        {
            seen.Add(e.Column);
            Add(e.Column, e.Reason);
        }

        if (failure?.Errors is { } errors)
        {
            foreach (var (field, messages) in errors)
            {
                var column = ReportImportFile.ColumnOf(field, headers);
                if (seen.Contains(column))
                {
                    continue; // the cell could not be read: its reason is already given
                }

                foreach (var m in messages)
                {
                    Add(column, m);
                }
            }
        }
        else if (failure is not null)
        {
            Add("", failure.Detail ?? failure.Title);
        }

        import.Rejected++;

        void Add(string column, string reason) => db.ReportImportRejections.Add(new ReportImportRejection
        {
            ImportId = import.Id,
            RowNumber = row.RowNumber,
            Seq = seq++,
            Column = column.Length > 64 ? column[..64] : column,
            Reason = reason.Length > 300 ? reason[..300] : reason,
        });
    }

    private static string SafeFileName(string? name, string format)
    {
        var n = Path.GetFileName(name ?? "").Trim();
        n = new string([.. n.Where(c => !char.IsControl(c))]);
        if (n.Length == 0 || !Domain.StoredText.IsSafe(n))
        {
            n = "upload." + format;
        }

        return n.Length > 200 ? n[..200] : n;
    }

    /// <summary>A CSV cell: quoted when needed, and never read by a spreadsheet as a formula.</summary>
    private static string Cell(string value)
    {
        var v = value.Length > 0 && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal) ? "'" + value : value;
        return v.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
    }

    private static ImportDto Dto(ReportImport i, bool existing) =>
        new(i.Id, i.EstablishmentId, i.FileName, i.Format, i.Status, i.Total, i.NextRow, i.Accepted, i.Repeated, i.Rejected, i.Error,
            i.CreatedAt, i.FinishedAt, existing);
}
