using System.Text;
using Microsoft.EntityFrameworkCore;
using Sojourn.Credentials;
using Sojourn.Data;
using Sojourn.Data.Permits;
using Sojourn.Data.Validation;
using Sojourn.Rules.Permits;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Permits.EPermit;

/// <summary>The verdict of an online check with the permit it names and its holder (when the signature held).</summary>
internal sealed record OnlineVerification(VerificationResult Result, Guid? PermitId, Guid? RegistrationId, Application.PersonalData.PersonRef? Holder = null);

/// <summary>
/// An online check: the offline checks of <see cref="CredentialVerifier"/> (format, signature with the named
/// authority's ring including retired keys, key retirement, validity, endorsement) with revocation and
/// suspension read from the issuer's own status list in the database instead of a synced file. Records
/// who checked, when and why (<see cref="CredentialCheck"/>). Never throws on a bad credential: a forged
/// or altered one is a verdict, not an error.
/// </summary>
internal sealed class OnlineVerifier(SojournDbContext db, EPermitService epermit, TimeProvider time, PermitLifecycle lifecycle)
{
    /// <summary>Far above a real credential (about 270 characters); longer input is malformed, not parsed.</summary>
    public const int MaxLength = 2048;

    public async Task<OnlineVerification> VerifyAsync(string? text, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLength)
        {
            return new OnlineVerification(new CredentialVerifier(new TrustedIssuers([]), time).Verify(""), null, null);
        }

        var trusted = new TrustedIssuers([]);
        CredentialStatus? known = null;
        if (CredentialCodec.TryParse(text, out var parsed) && parsed is not null)
        {
            trusted = await epermit.TrustedAsync(parsed.Claims.Authority.Code, ct);
            // A genuine credential's index is always allocated; one the database does not know is not in use.
            known = await epermit.StatusAsync(parsed.Claims.Authority, parsed.Claims.StatusIndex, ct) ?? CredentialStatus.Revoked;
        }

        var verifier = new CredentialVerifier(trusted, time);
        var result = verifier.Verify(text, new VerificationInput { KnownStatus = known });
        if (result.Credential is not { } claims)
        {
            return new OnlineVerification(result, null, null);
        }

        var permit = await db.Permits.IgnoreQueryFilters().AsNoTracking()
            .Where(p => p.AuthorityCode == claims.Authority.Code && p.StatusIndex == claims.StatusIndex)
            .Select(p => new { p.Id, p.RegistrationId, p.ResidenceDivisionCode, p.PolicyId, p.PersonIdHmac }).FirstOrDefaultAsync(ct);
        if (permit is not null && result.Reason == VerificationReason.EndorsementLapsed && result.Date is { } deadline
            && lifecycle.Terms(permit.ResidenceDivisionCode, deadline) is { } terms)
        {
            result = result with { Message = LapseMessage(deadline, terms.MissedEndorsement) };
        }

        return new OnlineVerification(result, permit?.Id, permit?.RegistrationId,
            permit is null ? null : new Application.PersonalData.PersonRef(permit.PersonIdHmac, permit.ResidenceDivisionCode, permit.RegistrationId));
    }

    /// <summary>
    /// What a missed endorsement does, from the policy in force on the deadline: suspended until endorsed
    /// late (居住证暂行条例 第十条) or void (山西2013 第十八條, 大同 第二十条), with that article.
    /// </summary>
    public static string LapseMessage(DateOnly deadline, Cited<LapseEffect> effect)
    {
        ArgumentNullException.ThrowIfNull(effect);
        return Messages.Format(effect.Value == LapseEffect.Void ? "Verify_EndorsementLapsed_Void" : "Verify_EndorsementLapsed_Suspended",
            deadline.ToString("yyyy年M月d日", System.Globalization.CultureInfo.InvariantCulture), PermitStepKit.Cite(effect.Basis));
    }

    /// <summary>Adds the record of one check (saved with the caller's unit of work).</summary>
    public CredentialCheck Record(OnlineVerification v, string channel, HttpContext http, string? purpose)
    {
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(http);
        var signedIn = http.User.Identity?.IsAuthenticated == true;
        var check = new CredentialCheck
        {
            Id = Guid.CreateVersion7(),
            At = time.GetUtcNow().UtcDateTime,
            Channel = channel,
            AccountId = signedIn ? Truncate(Access.SojournClaims.AccountId(http.User), ColumnLengths.Actor) : null,
            Role = signedIn ? Truncate(Access.SojournClaims.Role(http.User), ColumnLengths.Role) : null,
            Office = Truncate(http.User.FindFirst(Access.SojournClaims.Office)?.Value, ColumnLengths.OfficeName),
            Purpose = Truncate(purpose, ColumnLengths.AuditPurpose),
            Ip = Truncate(http.Connection.RemoteIpAddress?.ToString(), ColumnLengths.Ip),
            PermitId = v.PermitId,
            PermitNumber = Truncate(v.Result.Credential?.PermitNumber, ColumnLengths.PermitNumber),
            AuthorityCode = v.Result.Credential?.Authority.Code,
            Outcome = ReasonCode(v.Result.Reason),
        };
        db.CredentialChecks.Add(check);
        return check;
    }

    /// <summary>Stable kebab-case reason, e.g. <c>bad-signature</c> (the numeric form is <see cref="VerificationResult.Code"/>).</summary>
    public static string ReasonCode(VerificationReason reason) => Kebab(reason.ToString());

    /// <summary><c>BadSignature</c> → <c>bad-signature</c>.</summary>
    public static string Kebab(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var s = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && s.Length > 0)
            {
                s.Append('-');
            }

            s.Append(char.ToLowerInvariant(c));
        }

        return s.ToString();
    }

    public static string EndorsementLabel(EndorsementStatus s) => s switch
    {
        EndorsementStatus.NotDue => "未到签注期",
        EndorsementStatus.Endorsed => "已签注",
        EndorsementStatus.Suspended => "逾期未签注（功能中止）",
        _ => s.ToString(),
    };

    private static string? Truncate(string? value, int max) => value is { Length: > 0 } v && v.Length > max ? v[..max] : value;
}
