namespace Sojourn.Web.Registration;

/// <summary>Configuration section <c>Sojourn:Registration</c>.</summary>
public sealed class RegistrationOptions
{
    /// <summary>Largest photo accepted, in bytes (default 2 MiB).</summary>
    public int PhotoMaxBytes { get; set; } = 2 * 1024 * 1024;

    public int DefaultPageSize { get; set; } = 20;

    public int MaxPageSize { get; set; } = 100;

    /// <summary>
    /// Accompanying persons recorded are those under this age (未满16周岁的随行人员). A legal value, so it
    /// lives in configuration with its article (<see cref="AccompanyingChildAgeBasis"/>), not in code.
    /// </summary>
    public int AccompanyingChildAgeBelow { get; set; }

    public string AccompanyingChildAgeBasis { get; set; } = "";
}
