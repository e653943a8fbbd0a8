using System.Text.Json.Nodes;
using Sojourn.Data.Registrations;
using Sojourn.Rules.Compliance;

namespace Sojourn.Application.Compliance;

/// <summary>A stay's registration duty as the API and the pages show it: due day, status today, basis, engine stamp.</summary>
public sealed record RegistrationDutyDto(DateOnly? Due, string Status, DateOnly? RegisteredOn, string? Basis, JsonNode? Engine);

/// <summary>
/// Keeps the registration duty stored on a stay in step with its facts: evaluated by the rules engine
/// (<see cref="RegistrationDeadlines"/>) on declaration, on every amendment and on confirmation, never computed from a
/// literal. The stored status is as of that evaluation; <see cref="DutyStatuses.AsOf"/> moves open to overdue on read.
/// </summary>
internal static class RegistrationDuties
{
    public static void Apply(Registration registration, RegistrationRecord record, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(record);
        var d = RegistrationDeadlines.Compute(Facts(registration, record), today);
        registration.SetRegistrationDuty(d.Due, d.Status, d.Basis, d.Policies, Stamp(d.EngineVersion, d.PolicyHashes));
    }

    public static StayFacts Facts(Registration registration, RegistrationRecord record)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(record);
        return new StayFacts(record.ResidenceDivisionCode, record.HukouDivisionCode, record.ArrivedOn, registration.RegisteredOn,
            record.IntendedDays, record.Purpose, record.Lodging, record.BirthDate, record.MaritalStatus);
    }

    /// <summary>The engine stamp in the evaluation result's shape: {"version": …, "policyHashes": {…}}.</summary>
    public static string Stamp(string version, IReadOnlyDictionary<string, string> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        var h = new JsonObject();
        foreach (var (id, hash) in hashes)
        {
            h[id] = hash;
        }

        return new JsonObject { ["version"] = version, ["policyHashes"] = h }.ToJsonString();
    }

    public static RegistrationDutyDto Dto(Registration registration, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return new RegistrationDutyDto(registration.RegistrationDue,
            DutyStatuses.AsOf(registration.RegistrationDutyStatus, registration.RegistrationDue, today),
            registration.RegisteredOn, registration.RegistrationDutyBasis,
            registration.RegistrationEngine is { } e ? JsonNode.Parse(e) : null);
    }
}
