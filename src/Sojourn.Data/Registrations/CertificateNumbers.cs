using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace Sojourn.Data.Registrations;

/// <summary>
/// Issues 居住登记凭证号 like <c>DJ140105-2026-000123</c>: residence division, year, and a sequence per
/// division and year. One atomic upsert (INSERT … ON CONFLICT … DO UPDATE … RETURNING) serves both
/// SQLite (3.35+) and PostgreSQL, so concurrent confirmations never share a number.
/// </summary>
public static class CertificateNumbers
{
    public static async Task<string> NextAsync(
        SojournDbContext db, string divisionCode, int year, CancellationToken cancellationToken) =>
        Format(divisionCode, year, await NextNumberAsync(db, divisionCode, year, cancellationToken));

    /// <summary>居住证号 like <c>JZ140105-2026-000001</c>: a series of its own in the same sequence table.</summary>
    public static async Task<string> NextPermitAsync(
        SojournDbContext db, string divisionCode, int year, CancellationToken cancellationToken)
    {
        var number = await NextNumberAsync(db, "JZ" + divisionCode, year, cancellationToken);
        return string.Create(CultureInfo.InvariantCulture, $"JZ{divisionCode}-{year:D4}-{number:D6}");
    }

    private static async Task<long> NextNumberAsync(
        SojournDbContext db, string seriesKey, int year, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var next = await db.Database.SqlQuery<long>(
                $"""
                INSERT INTO "CertificateSequences" ("DivisionCode", "Year", "LastNumber")
                VALUES ({seriesKey}, {year}, 1)
                ON CONFLICT ("DivisionCode", "Year") DO UPDATE SET "LastNumber" = "CertificateSequences"."LastNumber" + 1
                RETURNING "LastNumber" AS "Value"
                """)
            .ToListAsync(cancellationToken);
        return next[0];
    }

    public static string Format(string divisionCode, int year, long number) =>
        string.Create(CultureInfo.InvariantCulture, $"DJ{divisionCode}-{year:D4}-{number:D6}");
}
