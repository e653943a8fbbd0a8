namespace Sojourn.Cli;

/// <summary>
/// A problem the user can fix (a missing or unreadable file, a key file that does not fit, a date out of
/// range): the top-level handler prints its zh-CN message as one line and exits with <see cref="ExitCode"/>.
/// </summary>
public sealed class CliException(string message, int exitCode = CliHost.UsageError, Exception? inner = null)
    : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
