using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sojourn.Data;
using Sojourn.Data.Registrations;
using Sojourn.Data.Security;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Registration;

/// <summary>What every registration use case needs, injected once per request.</summary>
public sealed class RegistrationContext(
    SojournDbContext db,
    RecordValidator validator,
    ChinaClock clock,
    IdentityProtector protector,
    IdentityDisclosure disclosure,
    IOptions<RegistrationOptions> options,
    IHttpContextAccessor accessor)
{
    /// <summary>The signed-in account (null outside a request, e.g. demo seeding).</summary>
    public string? AccountId => accessor.HttpContext?.User.Identity?.IsAuthenticated == true
        ? Access.SojournClaims.AccountId(accessor.HttpContext.User)
        : null;

    public Data.Access.ActorScope Scope => accessor.HttpContext is { } http
        ? Access.SojournClaims.Scope(http.User)
        : Data.Access.ActorScope.System;

    public SojournDbContext Db => db;
    public RecordValidator Validator => validator;
    public ChinaClock Clock => clock;
    public IdentityProtector Protector => protector;
    public IdentityDisclosure Disclosure => disclosure;
    public RegistrationOptions Options => options.Value;

    public async Task<(Data.Registrations.Registration Registration, RegistrationVersion Current)?> LoadAsync(
        Guid id, CancellationToken cancellationToken)
    {
        var registration = await db.Registrations.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (registration is null)
        {
            return null;
        }

        var current = await db.RegistrationVersions.AsNoTracking()
            .FirstAsync(v => v.RegistrationId == id && v.Number == registration.Version, cancellationToken);
        return (registration, current);
    }

    /// <summary>The checks every update makes before touching anything: found, not stale, still open.</summary>
    public async Task<(Data.Registrations.Registration Registration, RegistrationVersion Current)?> LoadForUpdateAsync(
        Guid id, int? expectedVersion, Action<ProblemHttpResult> fail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fail);
        if (expectedVersion is null)
        {
            fail(ApiProblems.Result(ErrorCode.PreconditionRequired, Messages.Get("Error_PreconditionRequired_Detail")));
            return null;
        }

        var loaded = await LoadAsync(id, cancellationToken);
        if (loaded is null)
        {
            fail(NotFound());
            return null;
        }

        if (loaded.Value.Registration.Version != expectedVersion)
        {
            fail(Stale(loaded.Value.Registration.Version));
            return null;
        }

        if (!loaded.Value.Registration.IsOpen)
        {
            fail(ApiProblems.Result(ErrorCode.RegistrationEnded, Messages.Get("Error_RegistrationEnded_Detail")));
            return null;
        }

        return loaded;
    }

    /// <summary>Saves in one transaction; a lost race becomes 409 and nothing is written.</summary>
    public Task<ProblemHttpResult?> SaveAsync(
        Data.Registrations.Registration registration, Func<Task>? beforeSave, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return TransactionalSave.SaveAsync(db, beforeSave, async e =>
        {
            if (e is not DbUpdateConcurrencyException && DbErrors.IsOpenStayViolation(e))
            {
                // Lost a race to an open stay: name it if the caller may see it (e.g. their own retried declaration).
                return await FindOtherOpenStayAsync(registration.PersonIdHmac, registration.ResidenceAddressKey, registration.Id, cancellationToken)
                    is { } visible ? OpenStayExists(visible) : OpenStayExists();
            }

            // A stale token, or another writer appended the same version number first: a lost race.
            var latest = await db.Registrations.AsNoTracking().Where(r => r.Id == registration.Id)
                .Select(r => r.Version).FirstOrDefaultAsync(cancellationToken);
            return Stale(latest);
        }, cancellationToken);
    }

    /// <summary>
    /// The open stay of the person at the address that the caller may see (the query filters apply): its id, or
    /// null. A stay the caller cannot see is left to the unique index (see <see cref="IsHiddenOpenStay"/>).
    /// </summary>
    public async Task<Guid?> FindOtherOpenStayAsync(string idHmac, string addressKey, Guid? except, CancellationToken cancellationToken) =>
        await db.Registrations.AsNoTracking()
            .Where(r => r.PersonIdHmac == idHmac && r.ResidenceAddressKey == addressKey
                        && r.Status != RegistrationStatus.Ended && r.Id != except)
            .Select(r => (Guid?)r.Id)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>True for the 409 of an open stay the caller cannot see (no <c>existingId</c>).</summary>
    public static bool IsHiddenOpenStay(ProblemHttpResult problem) =>
        problem is not null && problem.ProblemDetails.Extensions.TryGetValue("errorCode", out var code)
        && code is int c && c == ErrorCode.OpenStayExists.Code && !problem.ProblemDetails.Extensions.ContainsKey("existingId");

    public static ProblemHttpResult NotFound() =>
        ApiProblems.Result(ErrorCode.RegistrationNotFound, Messages.Get("Error_RegistrationNotFound_Detail"));

    public static ProblemHttpResult Stale(int currentVersion) =>
        ApiProblems.Result(ErrorCode.StaleVersion, Messages.Format("Error_StaleVersion_Detail", currentVersion));

    public static ProblemHttpResult OpenStayExists() =>
        ApiProblems.Result(ErrorCode.OpenStayExists, Messages.Get("Error_OpenStayExists_Detail"));

    /// <summary>
    /// 409 naming the open stay the caller may already see (e.g. the one their own declaration created before the
    /// connection died), so a client that lost the answer learns the id it created.
    /// </summary>
    public static ProblemHttpResult OpenStayExists(Guid visibleId)
    {
        var problem = ApiProblems.Create(ErrorCode.OpenStayExists, Messages.Get("Error_OpenStayExists_Detail"));
        problem.Extensions["existingId"] = visibleId;
        return TypedResults.Problem(problem);
    }

    public Declarant ResolveDeclarant(DeclarantInput? input, string personName, string prefix, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (input is null)
        {
            return new Declarant("self", personName, null);
        }

        var channel = input.Channel ?? "self";
        if (!ReferenceData.Channels.Contains(channel))
        {
            errors.Add(prefix + "channel", "Field_OneOf", Messages.Get("Label_Channel"), string.Join(", ", ReferenceData.Channels));
        }

        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            if (channel != "self")
            {
                errors.Add(prefix + "name", "Field_Required", Messages.Get("Label_DeclarantName"));
            }

            name = personName;
        }

        // Too long is an error, never a silent cut (the column's length, one source).
        if (name.Length > Data.Validation.ColumnLengths.DeclarantName)
        {
            errors.Add(prefix + "name", "Field_TooLong", Messages.Get("Label_DeclarantName"), Data.Validation.ColumnLengths.DeclarantName);
        }

        var role = input.Role?.Trim();
        if (role is { Length: > Data.Validation.ColumnLengths.DeclarantName })
        {
            errors.Add(prefix + "role", "Field_TooLong", Messages.Get("Label_DeclarantName"), Data.Validation.ColumnLengths.DeclarantName);
        }

        return new Declarant(channel, name, role);
    }
}
