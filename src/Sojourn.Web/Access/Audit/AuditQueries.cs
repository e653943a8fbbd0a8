using Microsoft.EntityFrameworkCore;
using Sojourn.Data;
using Sojourn.Data.Audit;
using Sojourn.Data.Security;
using Sojourn.Domain;
using Sojourn.Web.Hosting;
using static Sojourn.Web.Access.Audit.AuditApi;

namespace Sojourn.Web.Access.Audit;

/// <summary>The log checked end to end: the answer, and the catalogue's failure when it is not intact.</summary>
internal sealed record AuditCheck(VerifyDto Result, long? FirstBadSeq, ErrorCode? Code);

/// <summary>An audit search as the API and the chief's page run it: the page, and the person searched for (a hash), if any.</summary>
internal sealed record AuditSearchAnswer(PageDto<AuditEntryDto>? Page, string? SearchedPerson, string? InvalidField, string? Message);

/// <summary>
/// What supervisors read of the audit log: its status, the signed heads, the end-to-end verification and the search
/// over their own jurisdiction. The audit endpoints and the station chief's page both call this one copy.
/// </summary>
internal sealed class AuditQueries(SojournDbContext db, AuditSealer sealer, AuditKeyring keyring, IdentityProtector protector, ChinaClock clock)
{
    public Task<AuditStatus> StatusAsync(CancellationToken cancellationToken) => sealer.StatusAsync(cancellationToken);

    /// <summary>The newest signed heads (the checkpoints), newest first.</summary>
    public async Task<IReadOnlyList<SignedHeadDto>> SignedHeadsAsync(int count, CancellationToken cancellationToken) =>
        await db.AuditSignedHeads.AsNoTracking().OrderByDescending(h => h.Seq).Take(Math.Clamp(count, 1, 100))
            .Select(h => new SignedHeadDto(h.Seq, h.Hash, h.MerkleRoot, h.SignedAt, h.KeyId, h.Signature))
            .ToListAsync(cancellationToken);

    /// <summary>Hash chain, signed heads against the checkpoint file outside the database, Merkle roots.</summary>
    public async Task<AuditCheck> VerifyAsync(CancellationToken cancellationToken)
    {
        var result = await AuditVerifier.VerifyAsync(db, AuditCheckpoint.ReadFile(keyring.CheckpointFile), [keyring.Key.PublicKey], cancellationToken);
        return Application.Audit.AuditFaults.Describe(result) is { } fault
            ? new AuditCheck(new VerifyDto(false, result.Checked, fault.Code.Code, fault.Title, fault.Detail), result.FirstBadSeq, fault.Code)
            : new AuditCheck(new VerifyDto(true, result.Checked, null, null, null), null, null);
    }

    /// <summary>
    /// Entries of <paramref name="divisions"/> (the supervisor's jurisdiction), newest first, by person (identity number,
    /// matched by its keyed hash), registration, account and time. The caller records a search by person as a read of them.
    /// </summary>
    public async Task<AuditSearchAnswer> SearchAsync(SearchRequest request, IReadOnlyList<string> divisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var size = Math.Clamp(request.PageSize ?? 50, 1, 200);
        var page = Math.Max(request.Page ?? 1, 1);
        var query = db.AuditEntries.AsNoTracking();
        string? searchedPerson = null;
        var reach = divisions.ToList();
        query = query.Where(a => a.ResidenceDivisionCode != null && reach.Any(d => EF.Functions.Like(a.ResidenceDivisionCode, d + "%")));
        if (request.IdNumber is not null)
        {
            if (!CitizenId.TryParse(request.IdNumber, clock.Today, out var id, out _))
            {
                return new AuditSearchAnswer(null, null, "idNumber", "公民身份号码无效");
            }

            searchedPerson = protector.LookupHash(id.Value);
            query = query.Where(a => a.PersonIdHmac == searchedPerson);
        }

        if (request.RegistrationId is { } rid)
        {
            query = query.Where(a => a.RegistrationId == rid);
        }

        if (!string.IsNullOrWhiteSpace(request.AccountId))
        {
            query = query.Where(a => a.AccountId == request.AccountId);
        }

        if (request.From is { } from)
        {
            var f = from.ToUniversalTime();
            query = query.Where(a => a.At >= f);
        }

        if (request.To is { } to)
        {
            var t = to.ToUniversalTime();
            query = query.Where(a => a.At < t);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(a => a.Id).Skip(Paging.Skip(page, size)).Take(size)
            .Select(a => new AuditEntryDto(a.Seq, a.At, a.AccountId, a.ActorRole, a.Office, a.Action, a.Operation, a.RegistrationId, a.ResidenceDivisionCode, a.Fields, a.Purpose, a.Ip))
            .ToListAsync(cancellationToken);
        items = [.. items.Select(a => a with { Purpose = PurposeCatalogue.Default.Label(a.Purpose), PurposeBasis = BasisOf(a.Division, a.At) })];
        return new AuditSearchAnswer(new PageDto<AuditEntryDto>(items, page, size, total), searchedPerson, null, null);
    }
}
