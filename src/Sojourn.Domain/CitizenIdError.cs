namespace Sojourn.Domain;

/// <summary>Why a string is not a valid citizen identity number (GB 11643-1999).</summary>
public enum CitizenIdError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>Null, empty or whitespace.</summary>
    Empty,

    /// <summary>Not 18 characters (17 digits + digit or X) nor 15 digits.</summary>
    Format,

    /// <summary>The ISO 7064 MOD 11-2 check character does not match.</summary>
    CheckCharacter,

    /// <summary>The birth date part is not a calendar date (e.g. 31 February) or before 1800.</summary>
    BirthDate,

    /// <summary>The birth date is after today.</summary>
    FutureBirthDate,

    /// <summary>The first two digits are not a province-level division code.</summary>
    UnknownProvince,
}
