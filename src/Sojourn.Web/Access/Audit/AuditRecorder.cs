using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sojourn.Application.Actors;
using Sojourn.Application.PersonalData;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Audit;
using Sojourn.Rules.Registration;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Access.Audit;

/// <summary>
/// Writes audit entries for reads and writes of named persons, unsealed (the sequencer, <see cref="AuditSealer"/>,
/// chains them later; no lock here). Inside an <see cref="AuditTransaction"/> begun with <see cref="BeginAsync"/> the
/// entries go into the operation's own transaction (request-scoped context); inside a caller's open transaction they
/// join it; otherwise (reads) they are group-committed by <see cref="AuditGroupWriter"/> before the call returns.
/// </summary>
internal sealed class AuditRecorder(SojournDbContext requestDb, TimeProvider time, AuditGroupWriter reads)
{
    public const string PurposeHeader = "X-Sojourn-Purpose";

    private AuditTransaction? _current;

    /// <summary>
    /// Opens the transaction that the operation's writes (through <see cref="SharedTransaction.BeginOrJoinAsync"/>)
    /// and its audit entries share. Commit it after recording; dispose without commit to roll both back.
    /// </summary>
    public async Task<AuditTransaction> BeginAsync(CancellationToken cancellationToken)
    {
        var transaction = await AuditTransaction.BeginAsync(requestDb, cancellationToken);
        _current = transaction;
        return transaction;
    }

    /// <summary>
    /// Records what a use case declared it read or wrote (<see cref="PersonalDataLedger"/>): one entry per person and
    /// use, with the person's lookup hash, residence division and registration as declared (nothing is looked up
    /// again and no response is inspected). A search that named a person and found nothing is recorded under the
    /// number's lookup hash.
    /// </summary>
    public Task RecordUsesAsync(HttpContext http, string operation, PersonalDataLedger ledger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        return RecordUsesAsync(ClaimsActorSource.From(http), operation, ledger, cancellationToken);
    }

    /// <summary>
    /// The same for an actor outside an HTTP request's own claims (a page in an interactive circuit, a job): the
    /// entries name the actor, its stated purpose and address exactly as a request's would.
    /// </summary>
    public async Task RecordUsesAsync(ActorIdentity actor, string operation, PersonalDataLedger ledger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(ledger);
        var entries = Application.Audit.LedgerEntries.Of(actor, operation, ledger, time.GetUtcNow().UtcDateTime);
        if (entries.Count > 0)
        {
            await AppendAsync(entries, cancellationToken);
        }
    }

    /// <summary>
    /// A search by identity number that found nothing (or a search of the audit by person): one entry under the
    /// number's lookup hash, never the number, so the person's access log shows it, and under the searcher's first
    /// division, so their supervisor's audit search finds it.
    /// </summary>
    public Task RecordPersonSearchAsync(HttpContext http, string operation, string personIdHmac, string fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        return RecordPersonSearchAsync(ClaimsActorSource.From(http), operation, personIdHmac, fields, cancellationToken);
    }

    private Task RecordPersonSearchAsync(ActorIdentity actor, string operation, string personIdHmac, string fields, CancellationToken cancellationToken) =>
        AppendAsync([Application.Audit.LedgerEntries.PersonSearch(actor, operation, personIdHmac, fields, time.GetUtcNow().UtcDateTime)], cancellationToken);

    /// <summary>
    /// An account action (create, change, approve, reject, lock, unlock, token issue and revocation, activation) is
    /// recorded like a read: who, when, from where, which account (in <c>Fields</c>, as <c>account:{id}</c>). Called
    /// inside the change's own transaction (<c>AuditedOperation</c>), so the change and its entry commit together.
    /// </summary>
    public Task RecordAccountActionAsync(ActorIdentity actor, string operation, string accountId, CancellationToken cancellationToken) =>
        RecordAdministrationAsync(actor, operation, "account:" + accountId, cancellationToken);

    /// <summary>An administrative action by <paramref name="actor"/> on <paramref name="target"/> (<c>account:{id}</c>, <c>issuer:{code}</c>).</summary>
    public Task RecordAdministrationAsync(ActorIdentity actor, string operation, string target, CancellationToken cancellationToken) =>
        AppendAsync([Entry(actor, "account", operation, target)], cancellationToken);

    /// <summary>
    /// An entry by the signed-in caller (or <paramref name="actor"/>, for an anonymous step such as activation): who,
    /// when, from where, for what; the sequencer sets its place in the chain and its hashes when it seals it.
    /// </summary>
    private AuditEntry Entry(ActorIdentity actor, string action, string operation, string fields) =>
        Application.Audit.LedgerEntries.Entry(actor, action, operation, fields, time.GetUtcNow().UtcDateTime);

    /// <summary>
    /// Inserts inside the operation's transaction when one is open (the entries commit with the change), else through
    /// the group writer: a read returns only after its entry is committed.
    /// </summary>
    private async Task AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        if (_current is { IsOpen: true } open)
        {
            await open.AppendAsync(entries, cancellationToken);
        }
        else if (requestDb.Database.CurrentTransaction is not null)
        {
            await AuditChain.AppendAsync(requestDb, entries, cancellationToken);
        }
        else
        {
            await reads.AppendAsync(entries, cancellationToken);
        }
    }

    /// <summary>
    /// The purpose as the audit entry stores it: the catalogue code and the decoded text after it
    /// (<see cref="StatedPurpose"/>); a header naming no code (refused where a purpose is required) as sent.
    /// </summary>
    public static string? Purpose(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var value = http.Request.Headers[PurposeHeader].ToString().Trim();
        if (value.Length == 0)
        {
            return null;
        }

        var stored = PurposeCatalogue.Default.Parse(value, out _)?.ToString() ?? value;
        return stored.Length > Data.Validation.ColumnLengths.AuditPurpose ? stored[..Data.Validation.ColumnLengths.AuditPurpose] : stored;
    }

    /// <summary>Resolves the purpose basis where no record or reach names a division: the nationwide baseline.</summary>
    private const string NoDivision = "000000";

    /// <summary>
    /// Why an official must state a purpose, for a record of <paramref name="division"/> read on <paramref name="day"/>:
    /// the purpose-limitation law and the confidentiality articles of the policies in force there (policy files'
    /// <c>dataAccess</c>): e.g. 个人信息保护法 第六条 with 山西2017 第二十三条 and 居住证暂行条例 第十七条 in 山西, the national
    /// article alone where the local text is silent.
    /// </summary>
    public static string PurposeBasis(string? division, DateOnly day)
    {
        var terms = DataAccessTerms.For(string.IsNullOrEmpty(division) ? NoDivision : division, day);
        var parts = new List<string>();
        if (terms?.PurposeLimitation is { } law)
        {
            parts.Add(law);
        }

        if (terms is { Confidentiality.Count: > 0 })
        {
            parts.Add("保密义务：" + Permits.PermitStepKit.Cite(string.Join(',', terms.Confidentiality)));
        }

        return string.Join("；", parts);
    }

    /// <summary>
    /// An official reading a named person's data must state why: the 400 to return when the purpose header is
    /// missing, else null. Its basis is resolved for the record the route names (a registration, or a permit when
    /// <paramref name="permitRoute"/>) as the caller may see it, else for the caller's own jurisdiction, on today's date.
    /// Writes carry their purpose in the act itself. A purpose stated by anyone must be a code of the catalogue
    /// (Access/purposes.json), else 400 naming the header and the codes.
    /// </summary>
    public async Task<ProblemHttpResult?> MissingPurposeAsync(HttpContext http, bool isRead, bool permitRoute, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var stated = http.Request.Headers[PurposeHeader].ToString().Trim();
        if (stated.Length > 0)
        {
            return PurposeCatalogue.Default.Parse(stated, out var code) is null ? PurposeCatalogue.Default.UnknownProblem(PurposeHeader, code) : null;
        }

        if (!isRead || !Roles.IsOfficial(http.User.Role() ?? ""))
        {
            return null;
        }

        string? division = null;
        if (http.Request.RouteValues.TryGetValue("id", out var routeId) && Guid.TryParse(routeId?.ToString(), out var id))
        {
            division = permitRoute
                ? await requestDb.Permits.AsNoTracking().Where(p => p.Id == id).Select(p => p.ResidenceDivisionCode).FirstOrDefaultAsync(cancellationToken)
                : await requestDb.Registrations.AsNoTracking().Where(r => r.Id == id).Select(r => r.ResidenceDivisionCode).FirstOrDefaultAsync(cancellationToken);
        }

        return PurposeProblem(http, Messages.Format("Purpose_ReadNeedsPurpose", PurposeHeader), division);
    }

    /// <summary>The 400 (<see cref="ErrorCode.PurposeMissing"/>) for a missing purpose, citing the basis for <paramref name="division"/> (else the caller's jurisdiction).</summary>
    public ProblemHttpResult PurposeProblem(HttpContext http, string message, string? division)
    {
        ArgumentNullException.ThrowIfNull(http);
        var reach = http.User.Scope().Divisions;
        division ??= reach.Count > 0 ? reach[0] : null;
        return ApiProblems.Result(ErrorCode.PurposeMissing, Messages.Format("Error_PurposeMissing_Detail",
            message, PurposeBasis(division, ChinaClock.DayOf(time.GetUtcNow().UtcDateTime))));
    }
}
