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

    /// <summary>A role name (ActorRole, Role, PendingRole).</summary>
    public const int Role = 32;

    /// <summary>GB/T 2260 division code of a residence (6 digits, 9 or 12 with township and community).</summary>
    public const int DivisionCode = 12;

    /// <summary>A police station's 12-digit organ code.</summary>
    public const int StationCode = 12;

    /// <summary>An issuing organ: the 6-digit division code of the public security organ.</summary>
    public const int AuthorityCode = 6;

    /// <summary>SM4 ciphertext of an identity or phone number, as IdentityProtector writes it.</summary>
    public const int Cipher = 200;

    /// <summary>Keyed SM3 lookup hash (hex).</summary>
    public const int LookupHash = 64;

    /// <summary>A 256-bit digest in hex (SM3 hash chain, Merkle roots, token and request hashes).</summary>
    public const int Digest = 64;

    /// <summary>A masked identity number (18 characters, digits in the middle starred).</summary>
    public const int MaskedId = 18;

    /// <summary>居住证号 and 居住登记凭证号.</summary>
    public const int PermitNumber = 32;

    public const int PolicyId = 32;

    /// <summary>A row's state word (registration, permit, history).</summary>
    public const int Status = 16;

    /// <summary>A short code of a code table (sex, ethnic group).</summary>
    public const int Code = 8;

    /// <summary>The articles a step rests on, comma-separated.</summary>
    public const int Basis = Default;

    /// <summary>A client address as text (IPv6 with zone fits).</summary>
    public const int Ip = 64;
}

/// <summary>
/// A value that breaks the stored-text rule or its column's length reached the data layer (a boundary check
/// is missing); thrown before anything is sent, so nothing is saved. The host answers 400 naming the field.
/// </summary>
public sealed class InvalidFieldException(string field, string message) : InvalidOperationException(message)
{
    public string Field { get; } = field;
}
