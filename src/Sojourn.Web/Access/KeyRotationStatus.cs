using Microsoft.EntityFrameworkCore;
using Sojourn.Credentials;
using Sojourn.Data;
using Sojourn.Data.Security;

namespace Sojourn.Web.Access;

/// <summary>One issuing authority's e-permit signing keys: the one that signs now, since when, and how many were retired.</summary>
internal sealed record IssuerKeyStatus(string AuthorityCode, string AuthorityName, string? CurrentKeyId, DateTimeOffset? CurrentSince, int Retired, DateTime UpdatedAt);

/// <summary>The keys an administrator rotates, as they stand: the SM4 key identity numbers are encrypted under, and each issuer's SM2 ring.</summary>
internal sealed record KeyRotationStatus(string Sm4ActiveKeyId, IReadOnlyList<IssuerKeyStatus> Issuers);

/// <summary>
/// Key rotation status for the administrator's page (no personal data: key ids, dates and counts only). The audit signing
/// key has its own status (AuditQueries.StatusAsync).
/// </summary>
internal sealed class KeyRotationQueries(SojournDbContext db, IdentityProtector protector)
{
    public async Task<KeyRotationStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var rows = await db.IssuerKeys.AsNoTracking().OrderBy(k => k.AuthorityCode).Take(200)
            .Select(k => new { k.AuthorityCode, k.AuthorityName, k.PublicRingJson, k.UpdatedAt }).ToListAsync(cancellationToken);
        var issuers = rows.Select(r =>
        {
            // The public ring carries no private key: reading it needs no decryption.
            var ring = IssuerKeyRing.FromJson(r.PublicRingJson);
            return new IssuerKeyStatus(r.AuthorityCode, r.AuthorityName, ring.Current?.KeyId, ring.Current?.CreatedAt,
                ring.Keys.Count(k => k.RetiredAt is not null), r.UpdatedAt);
        }).ToList();
        return new KeyRotationStatus(protector.ActiveKeyId, issuers);
    }

    /// <summary>How many ciphertexts still wait for re-encryption under the active SM4 key (a scan: asked for, not shown on load).</summary>
    public Task<int> RemainingUnderOldKeysAsync(CancellationToken cancellationToken) =>
        CipherRotation.CountRemainingAsync(db, protector, cancellationToken);
}
