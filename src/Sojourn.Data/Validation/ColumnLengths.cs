namespace Sojourn.Data.Validation;

/// <summary>
/// The one source of column lengths: the model's <c>HasMaxLength</c> and the request validators both read
/// these, so a value the boundary accepts always fits its column.
/// </summary>
public static class ColumnLengths
{
    /// <summary>Default for any string column without its own length (the model convention).</summary>
    public const int Default = 400;

    public const int PersonName = 100;
    public const int StationName = 100;
    public const int OfficeName = 100;
    public const int AuthorityName = 100;
    public const int DeclarantName = 100;
    public const int TokenName = 100;
    public const int PermitReason = 1000;
    public const int AuditPurpose = 200;

    /// <summary>Who acted, as <c>role:userName</c> (history rows, permit creator, token issuer, audit account).</summary>
    public const int Actor = 64;
}

/// <summary>
/// A value that breaks the stored-text rule or its column's length reached the data layer (a boundary check
/// is missing); thrown before anything is sent, so nothing is saved. The host answers 400 naming the field.
/// </summary>
public sealed class InvalidFieldException(string field, string message) : InvalidOperationException(message)
{
    public string Field { get; } = field;
}
