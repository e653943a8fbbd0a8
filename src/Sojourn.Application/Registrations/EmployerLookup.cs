using Microsoft.EntityFrameworkCore;
using Sojourn.Data;
using Sojourn.Data.Reporting;

namespace Sojourn.Application.Registrations;

/// <summary>
/// The establishments a registration may name as 用人单位: those whose reports answer to the policies' <c>employer</c>
/// party (<see cref="EstablishmentKind.Party"/>), named by their code as a report names its establishment. Read before
/// the synchronous <see cref="RecordValidator"/> checks a record.
/// </summary>
internal static class EmployerLookup
{
    /// <summary>The column length of an establishment's code.</summary>
    public const int MaxCode = 32;

    public static bool IsEmployer(string kind) => EstablishmentKind.Party(kind) == "employer";

    /// <summary>The kind of the establishment with the code the input names (empty when it names none or none exists).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> KindsAsync(SojournDbContext db, string? code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var c = code?.Trim();
        if (string.IsNullOrEmpty(c) || c.Length > MaxCode)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        return await db.Establishments.AsNoTracking().Where(e => e.Code == c)
            .ToDictionaryAsync(e => e.Code, e => e.Kind, StringComparer.Ordinal, cancellationToken);
    }
}
