using Microsoft.AspNetCore.Http.HttpResults;
using Sojourn.Data.Registrations;
using Sojourn.Web.Hosting;
using Sojourn.Web.Http;

namespace Sojourn.Web.Registration;

/// <summary>
/// 更正 and 变更 (山西2017 第十二条) share one flow: overlay the given fields on the current record,
/// check the whole result as on declaration, and append a version. A change may not touch the
/// person's identity (name, number, birth date, sex, ethnic group): those are corrections.
/// </summary>
public static class Amend
{
    private static readonly (string Field, Func<RecordInput, object?> Get)[] IdentityFields =
    [
        ("name", r => r.Name),
        ("idNumber", r => r.IdNumber),
        ("birthDate", r => r.BirthDate),
        ("sex", r => r.Sex),
        ("ethnicGroup", r => r.EthnicGroup),
    ];

    public static async Task<Results<Ok<RegistrationDto>, Accepted<DeclareRegistration.ReportReceivedDto>, ProblemHttpResult>> HandleAsync(
        string kind, Guid id, AmendRequest request, int? expectedVersion, string actor, RegistrationContext ctx,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(ctx);
        ProblemHttpResult? failure = null;
        var loaded = await ctx.LoadForUpdateAsync(id, expectedVersion, p => failure = p, cancellationToken);
        if (loaded is not { } l)
        {
            return failure!;
        }

        var (registration, current) = l;
        var errors = new FieldErrors();
        if (request.Changes is null)
        {
            return ApiProblems.Validation("changes", Messages.Get("Amend_NoChanges"));
        }

        var currentInput = ctx.Validator.ToInput(current.Record);
        if (kind == VersionKind.Change)
        {
            foreach (var (field, get) in IdentityFields)
            {
                var given = get(request.Changes);
                if (given is not null && !Equals(Normalise(given), Normalise(get(currentInput))))
                {
                    errors.Add("changes." + field, "Change_IdentityField");
                }
            }
        }

        // The station of the residence confirmed this stay: another county is another station's stay.
        if (request.Changes.ResidenceDivision is { } division && division != currentInput.ResidenceDivision
            && (kind == VersionKind.Change || registration.Status == RegistrationStatus.Confirmed))
        {
            errors.Add("changes.residenceDivision", "Amend_ResidenceDivisionMoved");
        }

        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            errors.Add("reason", "Field_Required", Messages.Get("Label_Reason"));
        }
        else if (reason.Length > 200)
        {
            errors.Add("reason", "Field_TooLong", Messages.Get("Label_Reason"), 200);
        }

        var merged = RecordValidator.Overlay(currentInput, request.Changes);
        var record = ctx.Validator.Validate(merged, "changes.", errors, current.Record.PhotoId);
        var declarant = ctx.ResolveDeclarant(request.Declarant, merged.Name ?? "", "declarant.", errors);
        if (record is null || errors.Any)
        {
            return ApiProblems.Validation(errors.ToDictionary());
        }

        var addressKey = Data.Registrations.Registration.AddressKey(record.ResidenceDivisionCode, record.ResidenceAddress);
        if (await ctx.FindOtherOpenStayAsync(record.IdNumberHmac, addressKey, registration.Id, cancellationToken) is { } existing)
        {
            return RegistrationContext.OpenStayExists(existing);
        }

        var version = registration.Amend(kind, record, declarant, reason, actor, ctx.Clock.UtcNow);
        ctx.Db.RegistrationVersions.Add(version);
        if (await ctx.SaveAsync(registration, null, cancellationToken) is { } problem)
        {
            // As on declaration: a reporter moving their own report to an address where someone else registered the
            // person learns nothing of that registration (no 409, no id); nothing is written, the report is covered.
            if (ctx.Scope.Reach == Data.Access.ActorReach.Reporter && RegistrationContext.IsHiddenOpenStay(problem))
            {
                return DeclareRegistration.ReportReceived();
            }

            return problem;
        }

        return TypedResults.Ok(registration.ToDto(version, ctx));
    }

    internal static async Task<Results<Ok<RegistrationDto>, Accepted<DeclareRegistration.ReportReceivedDto>, ProblemHttpResult>> EndpointAsync(
        string kind, Guid id, AmendRequest request, HttpContext http, RegistrationContext ctx, CancellationToken ct)
    {
        var result = await HandleAsync(kind, id, request, Http.EntityTags.ExpectedVersion(http, request.Version), Access.ClaimsActorSource.Label(http), ctx, ct);
        if (result.Result is Ok<RegistrationDto> ok)
        {
            Http.EntityTags.SetETag(http, ok.Value!.Version);
        }

        return result;
    }

    private static object? Normalise(object? value) => value is string s ? s.Trim().ToUpperInvariant() : value;
}
