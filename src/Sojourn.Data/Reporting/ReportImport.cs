namespace Sojourn.Data.Reporting;

/// <summary>
/// A batch file of reports uploaded by a reporter for one of its establishments, processed in the background in
/// chunks (one transaction each: the chunk's reports, its rejected rows and this row's progress commit together, so
/// a crash resumes at <see cref="NextRow"/>). The file is kept SM4-encrypted only while it is processed (it holds
/// identity numbers) and dropped when the import ends. One file (SHA-256) per establishment: a re-upload answers
/// with this import.
/// </summary>
public sealed class ReportImport
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Done = "done";
    public const string Failed = "failed";

    public Guid Id { get; set; }
    public Guid EstablishmentId { get; set; }

    /// <summary>The establishment's division: the jurisdiction key, as on the reports.</summary>
    public string DivisionCode { get; set; } = "";

    /// <summary>The uploading account; the rows are reported in its name.</summary>
    public string AccountId { get; set; } = "";

    public string FileName { get; set; } = "";

    /// <summary>csv | xlsx.</summary>
    public string Format { get; set; } = "";

    /// <summary>SHA-256 of the file's bytes (hex).</summary>
    public string FileHash { get; set; } = "";

    /// <summary>queued | running | done | failed.</summary>
    public string Status { get; set; } = Queued;

    /// <summary>Data rows in the file (the header row not counted).</summary>
    public int Total { get; set; }

    /// <summary>Data rows processed so far (accepted, repeated or rejected): the resume point.</summary>
    public int NextRow { get; set; }

    /// <summary>Rows saved as new reports.</summary>
    public int Accepted { get; set; }

    /// <summary>Rows that repeat a report already received (same establishment, kind, person and day): nothing created.</summary>
    public int Repeated { get; set; }

    public int Rejected { get; set; }

    /// <summary>Why the import stopped (a file that could not be read past the header); null otherwise.</summary>
    public string? Error { get; set; }

    /// <summary>The file, SM4-encrypted; null once the import has ended.</summary>
    public byte[]? Content { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }

    /// <summary>Optimistic concurrency: two workers never both commit the same chunk.</summary>
    public int Version { get; set; }
}

/// <summary>One reason a row of a batch file was rejected: the row as a spreadsheet numbers it (the header is row 1), the column and why.</summary>
public sealed class ReportImportRejection
{
    public Guid ImportId { get; set; }
    public int RowNumber { get; set; }
    public int Seq { get; set; }
    public string Column { get; set; } = "";
    public string Reason { get; set; } = "";
}
