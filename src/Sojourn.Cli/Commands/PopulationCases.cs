using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sojourn.Data;
using Sojourn.Data.Registrations;
using Sojourn.Rules.Evaluation;

namespace Sojourn.Cli.Commands;

/// <summary>
/// Turns every open stay in the database into a policy case (docs/policy-evaluation.md), so that
/// <c>policy impact --database</c> can show what a new regulation does to the population a bureau
/// already holds. Cases carry no name and no identity number: birth date and sex come from the record.
/// </summary>
internal static class PopulationCases
{
    private static readonly TimeZoneInfo China = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static DateOnly Today(TimeProvider time) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), China).DateTime);

    public static async Task<JsonDocument> ReadAsync(SojournDbContext db, DateOnly asOf, CancellationToken ct)
    {
        var open = db.Registrations.AsNoTracking().Where(r => r.Status != RegistrationStatus.Ended);
        var current = db.RegistrationVersions.AsNoTracking()
            .Where(v => open.Any(r => r.Id == v.RegistrationId && r.Version == v.Number))
            .OrderBy(v => v.RegistrationId)
            .Select(v => new { v.Record, DeclaredAt = open.Where(r => r.Id == v.RegistrationId).Select(r => r.DeclaredAt).First() });

        using var buffer = new MemoryStream();
        await using (var w = new Utf8JsonWriter(buffer, ResultWriter.Options))
        {
            w.WriteStartArray();
            await foreach (var row in current.AsAsyncEnumerable().WithCancellation(ct))
            {
                Write(w, row.Record, RegisteredOn(row.DeclaredAt), asOf);
            }

            w.WriteEndArray();
        }

        return JsonDocument.Parse(buffer.ToArray());
    }

    private static DateOnly RegisteredOn(DateTime declaredAtUtc) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(declaredAtUtc, DateTimeKind.Utc), China));

    private static void Write(Utf8JsonWriter w, RegistrationRecord r, DateOnly registeredOn, DateOnly asOf)
    {
        static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        w.WriteStartObject();
        w.WriteString("asOf", D(asOf));
        w.WriteStartObject("person");
        w.WriteString("birthDate", D(r.BirthDate));
        w.WriteString("sex", r.Sex);
        w.WriteString("category", "mainland");
        w.WriteString("hukouDivision", r.HukouDivisionCode);
        w.WriteString("maritalStatus", r.MaritalStatus);
        w.WriteEndObject();
        w.WriteStartObject("stay");
        w.WriteString("residenceDivision", r.ResidenceDivisionCode);
        w.WriteString("arrivedOn", D(r.ArrivedOn));
        w.WriteNumber("intendedDays", r.IntendedDays);
        w.WriteString("purpose", r.Purpose);
        w.WriteString("lodging", r.Lodging);
        w.WriteEndObject();
        w.WriteStartObject("facts");
        w.WriteString("registeredOn", D(registeredOn));
        w.WriteBoolean("marriageBirthCertificate", r.MarriageBirthCertificate);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
