using System.Globalization;
using Sojourn.Data.Compliance;
using Sojourn.Rules.Compliance;

namespace Sojourn.Application.Compliance;

/// <summary>
/// The sanction a policy allows, as every source stores it on the case it opens: on an entity, or as constants in a
/// set-based <c>INSERT … SELECT</c> (<see cref="Columns"/> names the columns in the order those statements fill them).
/// </summary>
internal static class CaseSanction
{
    public const string Columns =
        "INSERT INTO \"ComplianceCases\" (\"DutyKey\", \"Source\", \"SubjectId\", \"RegistrationId\", \"PersonIdHmac\", \"ResidenceDivisionCode\", "
        + "\"StationCode\", \"Duty\", \"Party\", \"DutyBasis\", \"Due\", \"DoneOn\", \"DutyStatus\", \"OrderToCorrect\", \"Warning\", \"FineMin\", "
        + "\"FineMax\", \"SeriousFineMin\", \"SeriousFineMax\", \"FineOnlyIfUncorrected\", \"SanctionBasis\", \"OrderLimitDays\", \"OrderLimitBasis\", "
        + "\"Policies\", \"Engine\", \"State\", \"Serious\", \"OpenedOn\", \"OpenedAt\", \"OpenedBy\", \"UpdatedAt\", \"Version\") ";

    /// <summary>Sets the sanction's columns on a case being opened, and returns it.</summary>
    public static ComplianceCase Apply(ComplianceCase c, SanctionTerms? s)
    {
        ArgumentNullException.ThrowIfNull(c);
        c.OrderToCorrect = s?.OrderToCorrect ?? false;
        c.Warning = s?.Warning ?? false;
        c.FineMin = s?.Fine?.MinYuan;
        c.FineMax = s?.Fine?.MaxYuan;
        c.SeriousFineMin = s?.SeriousFine?.MinYuan;
        c.SeriousFineMax = s?.SeriousFine?.MaxYuan;
        c.FineOnlyIfUncorrected = s?.FineOnlyIfUncorrected ?? false;
        c.SanctionBasis = s?.Basis;
        c.OrderLimitDays = LimitDays(s);
        c.OrderLimitBasis = s?.OrderTimeLimitBasis;
        return c;
    }

    /// <summary>The same columns as SQL constants, from "OrderToCorrect" to "OrderLimitBasis", each followed by a comma.</summary>
    public static string SqlValues(SanctionTerms? s) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{ComplianceSweepContext.Flag(s?.OrderToCorrect == true)}, {ComplianceSweepContext.Flag(s?.Warning == true)}, "
            + $"{ComplianceSweepContext.Number(s?.Fine?.MinYuan)}, {ComplianceSweepContext.Number(s?.Fine?.MaxYuan)}, "
            + $"{ComplianceSweepContext.Number(s?.SeriousFine?.MinYuan)}, {ComplianceSweepContext.Number(s?.SeriousFine?.MaxYuan)}, "
            + $"{ComplianceSweepContext.Flag(s?.FineOnlyIfUncorrected == true)}, {ComplianceSweepContext.Text(s?.Basis)}, "
            + $"{ComplianceSweepContext.Number(LimitDays(s))}, {ComplianceSweepContext.Text(s?.OrderTimeLimitBasis)}, ");

    // A limit in days only (a month or working-day limit would need the calendar at order time: none is encoded yet).
    private static int? LimitDays(SanctionTerms? s) =>
        s?.OrderTimeLimit is { Unit: Rules.Periods.PeriodUnit.Days } p ? p.Amount : null;
}
