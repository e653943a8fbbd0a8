namespace Sojourn.Application.Registrations;

/// <summary>Configuration section <c>Sojourn:Registration</c>.</summary>
public sealed class RegistrationOptions
{
    /// <summary>Largest photo accepted, in bytes (default 2 MiB).</summary>
    public int PhotoMaxBytes { get; set; } = 2 * 1024 * 1024;

    public int DefaultPageSize { get; set; } = 20;

    public int MaxPageSize { get; set; } = 100;
}
