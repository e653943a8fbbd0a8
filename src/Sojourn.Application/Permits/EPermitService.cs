using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sojourn.Credentials;
using Sojourn.Data;
using Sojourn.Data.Permits;
using Sojourn.Data.Security;

namespace Sojourn.Application.Permits;

/// <summary>
/// Operational settings of the e-permit (<c>Sojourn:EPermit</c>): not law, so they live in configuration.
/// </summary>
internal sealed class EPermitOptions
{
    /// <summary>How long checkers may rely on a signed status list before syncing again.</summary>
    public int StatusListValidHours { get; set; } = StatusList.DefaultValidHours;

    /// <summary>Entries of a new status list (W3C recommends ≥ 131,072 for herd privacy); doubled when full.</summary>
    public int StatusListCapacity { get; set; } = StatusList.DefaultCapacity;

    /// <summary>Checks per minute and IP address on the public /v/ page.</summary>
    public int PageChecksPerMinute { get; set; } = 30;
}

/// <summary>
/// Keeps the e-permit in step with the permit (docs/adr/0002-e-permit-credential.md), run from every
/// permit step's domain event (EPermitCredentialHandler) when the unit of work saves, in the same DbContext and transaction: the authority's key ring
/// (created on first use, SM4-encrypted at rest), its status list (one index per permit, given once and
/// never reused), a fresh SJ1 credential for a valid permit (older ones superseded), the suspended or
/// revoked bit otherwise, and the list re-signed on every change. The permit's history keeps only legal
/// steps; <see cref="IssuedCredential"/> is the credential's own log.
/// </summary>
internal sealed class EPermitService(
    SojournDbContext db,
    IdentityProtector protector,
    TimeProvider time,
    IOptions<EPermitOptions> options,
    ILogger<EPermitService> logger)
{
    public const string Active = "active";
    public const string Superseded = "superseded";
    public const string Revoked = "revoked";
    public const string Suspended = "suspended";

    private readonly Dictionary<string, IssuerKeyRing> _rings = new(StringComparer.Ordinal);

    /// <summary>Brings the permit's credential and status-list entry in step with its status (EPermitCredentialHandler, after every step).</summary>
    public async Task SyncAsync(Permit permit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(permit);
        // An application under review has no credential yet; a refused or ended permit that never had
        // one has nothing to revoke.
        if (permit.Status == PermitStatus.Applied || (permit.StatusIndex is null && permit.Status != PermitStatus.Valid))
        {
            return;
        }

        var authority = new IssuingAuthority(permit.AuthorityCode, permit.AuthorityName);
        var ring = await RingAsync(authority, create: true, ct) ?? throw new InvalidOperationException("key ring");
        var record = await ListRecordAsync(permit.AuthorityCode, create: true, ct) ?? throw new InvalidOperationException("status list");
        var index = permit.EnsureStatusIndex(() => Allocate(record));
        var list = StatusList.FromBits(authority, record.Bits);

        var held = await db.IssuedCredentials.IgnoreQueryFilters()
            .Where(c => c.PermitId == permit.Id && (c.Status == Active || c.Status == Suspended))
            .ToListAsync(ct);
        held.AddRange(db.IssuedCredentials.Local.Where(c => c.PermitId == permit.Id && c.Status is Active or Suspended && !held.Contains(c)));
        var now = time.GetUtcNow();
        switch (permit.Status)
        {
            case PermitStatus.Valid:
                held.ForEach(c => c.Status = Superseded);
                list.Set(index, CredentialStatus.Valid);
                await IssueAsync(permit, ring, now, ct);
                break;
            case PermitStatus.Suspended:
                held.ForEach(c => c.Status = Suspended);
                list.Set(index, CredentialStatus.Suspended);
                break;
            default:
                // cancelled, void, expired, superseded (renewed, replaced, reissued), refused: for good.
                held.ForEach(c => c.Status = Revoked);
                list.Set(index, CredentialStatus.Revoked);
                break;
        }

        record.Bits = list.ToBits();
        Sign(record, list, ring, now);
    }

    /// <summary>Retires the authority's current key and signs with a new one; null when the authority has no ring.</summary>
    public async Task<IssuerKeyRing?> RotateAsync(string authorityCode, CancellationToken ct)
    {
        var row = await db.IssuerKeys.FindAsync([authorityCode], ct);
        if (row is null)
        {
            return null;
        }

        var ring = Open(row);
        var retired = ring.Current?.KeyId;
        var fresh = ring.Rotate(time);
        Store(row, ring);
        logger.LogInformation("Issuer {Authority}: key {Retired} retired, {Fresh} now signs", authorityCode, retired, fresh.KeyId);
        if (await ListRecordAsync(authorityCode, create: false, ct) is { } record)
        {
            // The served list must verify with the current key from now on.
            Sign(record, StatusList.FromBits(ring.Authority, record.Bits), ring, time.GetUtcNow());
        }

        return ring;
    }

    /// <summary>
    /// The latest signed list; re-signed (and saved) when half its validity has passed, so a checker
    /// syncing from a quiet authority still gets a fresh one. Null when the authority issued nothing yet.
    /// </summary>
    public async Task<string?> SignedListAsync(string authorityCode, CancellationToken ct)
    {
        var record = await ListRecordAsync(authorityCode, create: false, ct);
        if (record is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var halfLife = TimeSpan.FromHours(options.Value.StatusListValidHours / 2.0);
        if (record.SignedList is not null && record.SignedAt is { } at && now.UtcDateTime - at < halfLife)
        {
            return record.SignedList;
        }

        var row = await db.IssuerKeys.FindAsync([authorityCode], ct);
        if (row is null)
        {
            return record.SignedList;
        }

        var ring = Open(row);
        Sign(record, StatusList.FromBits(ring.Authority, record.Bits), ring, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A permit step re-signed it meanwhile: serve that one.
            db.ChangeTracker.Clear();
            return (await db.StatusLists.AsNoTracking().FirstAsync(s => s.AuthorityCode == authorityCode, ct)).SignedList;
        }

        return record.SignedList;
    }

    /// <summary>
    /// The public ring of the authority a credential names, retired keys included: what an online check trusts.
    /// A key vouches only for its own authority (CredentialVerifier), so no other ring is read or parsed.
    /// </summary>
    public async Task<TrustedIssuers> TrustedAsync(string authorityCode, CancellationToken ct)
    {
        var rings = await db.IssuerKeys.AsNoTracking().Where(k => k.AuthorityCode == authorityCode)
            .Select(k => k.PublicRingJson).ToListAsync(ct);
        return new TrustedIssuers(rings.Select(IssuerKeyRing.FromJson));
    }

    /// <summary>The entry of one index as the database holds it now (online revocation), or null when unknown.</summary>
    public async Task<CredentialStatus?> StatusAsync(IssuingAuthority authority, int index, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(authority);
        var bits = await db.StatusLists.AsNoTracking().Where(s => s.AuthorityCode == authority.Code)
            .Select(s => new { s.Bits, s.NextIndex }).FirstOrDefaultAsync(ct);
        if (bits is null || index < 0 || index >= bits.NextIndex)
        {
            return null;
        }

        return StatusList.FromBits(authority, bits.Bits).Get(index);
    }

    private async Task IssueAsync(Permit permit, IssuerKeyRing ring, DateTimeOffset now, CancellationToken ct)
    {
        if (permit.PermitNumber is null)
        {
            logger.LogWarning("Permit {PermitId} is valid but has no number; no credential issued", permit.Id);
            return;
        }

        // The photo printed on the card; without one the digest is SM3 of zero bytes, which no real
        // photo matches, so a checker comparing a photo is told it does not match.
        var photo = permit.PhotoId is { } photoId
            ? await db.RegistrationPhotos.IgnoreQueryFilters().Where(p => p.Id == photoId).Select(p => p.Content).FirstOrDefaultAsync(ct)
            : null;
        var validFrom = permit.IssuedOn ?? permit.DecidedOn ?? DateOnly.FromDateTime(now.ToOffset(TimeSpan.FromHours(8)).DateTime);
        // No expiry where the policy sets none; the endorsement deadline then bounds the credential.
        var validUntil = permit.ValidUntil ?? DateOnly.MaxValue;
        var claims = new PermitCredential
        {
            MaskedName = NameMask.Mask(permit.PersonName),
            PhotoDigest = PhotoDigest.Compute(photo ?? []),
            PermitNumber = permit.PermitNumber,
            ValidFrom = validFrom,
            ValidUntil = validUntil,
            Endorsement = permit.EndorsementsDone > 0 ? EndorsementStatus.Endorsed : EndorsementStatus.NotDue,
            NextEndorsementDeadline = permit.EndorsementDue ?? validUntil,
            Authority = ring.Authority,
            StatusIndex = permit.StatusIndex!.Value,
            // The credential carries whole seconds.
            IssuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()),
        };
        var compact = CredentialCodec.Issue(claims, ring);
        db.IssuedCredentials.Add(new IssuedCredential
        {
            Id = Guid.CreateVersion7(),
            PermitId = permit.Id,
            AuthorityCode = permit.AuthorityCode,
            StatusIndex = claims.StatusIndex,
            KeyId = ring.Current!.KeyId,
            Compact = compact,
            IssuedAt = claims.IssuedAt.UtcDateTime,
            EffectiveUntil = claims.EffectiveUntil,
            Status = Active,
            ResidenceDivisionCode = permit.ResidenceDivisionCode,
        });
    }

    private int Allocate(StatusListRecord record)
    {
        if (record.NextIndex >= record.Capacity)
        {
            // Indexes are never reused: a full list grows (old entries keep their place).
            var bits = new byte[record.Bits.Length * 2];
            record.Bits.CopyTo(bits, 0);
            record.Bits = bits;
            record.Capacity *= 2;
            logger.LogInformation("Status list of {Authority} grown to {Capacity} entries", record.AuthorityCode, record.Capacity);
        }

        return record.NextIndex++;
    }

    private void Sign(StatusListRecord record, StatusList list, IssuerKeyRing ring, DateTimeOffset now)
    {
        record.SignedList = list.Sign(ring, now, now.AddHours(options.Value.StatusListValidHours));
        record.SignedAt = now.UtcDateTime;
        record.Version++;
    }

    private async Task<IssuerKeyRing?> RingAsync(IssuingAuthority authority, bool create, CancellationToken ct)
    {
        if (_rings.TryGetValue(authority.Code, out var cached))
        {
            return cached;
        }

        var row = await db.IssuerKeys.FindAsync([authority.Code], ct);
        if (row is null)
        {
            if (!create)
            {
                return null;
            }

            var ring = IssuerKeyRing.Generate(authority, time);
            row = new IssuerKeyRecord { AuthorityCode = authority.Code, AuthorityName = authority.Name, RingCipher = "", PublicRingJson = "" };
            db.IssuerKeys.Add(row);
            Store(row, ring);
            logger.LogInformation("Issuer {Authority}: key ring created, key {KeyId}", authority.Code, ring.Current!.KeyId);
            _rings[authority.Code] = ring;
            return ring;
        }

        return Open(row);
    }

    private IssuerKeyRing Open(IssuerKeyRecord row)
    {
        if (!_rings.TryGetValue(row.AuthorityCode, out var ring))
        {
            ring = IssuerKeyRing.FromJson(protector.Decrypt(row.RingCipher));
            _rings[row.AuthorityCode] = ring;
        }

        return ring;
    }

    private void Store(IssuerKeyRecord row, IssuerKeyRing ring)
    {
        row.RingCipher = protector.Encrypt(ring.ToJson());
        row.PublicRingJson = ring.ToPublicJson();
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        row.Version++;
    }

    private async Task<StatusListRecord?> ListRecordAsync(string authorityCode, bool create, CancellationToken ct)
    {
        var record = await db.StatusLists.FindAsync([authorityCode], ct);
        if (record is null && create)
        {
            var capacity = options.Value.StatusListCapacity;
            record = new StatusListRecord
            {
                AuthorityCode = authorityCode,
                Capacity = capacity,
                Bits = new StatusList(new IssuingAuthority(authorityCode, "-"), capacity).ToBits(),
            };
            db.StatusLists.Add(record);
        }

        return record;
    }
}
