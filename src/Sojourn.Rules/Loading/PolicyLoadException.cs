namespace Sojourn.Rules.Loading;

/// <summary>A policy file that does not follow the schema: names the file, line and key.</summary>
public sealed class PolicyLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PolicyLoadException(string file, long line, string key, string problem)
        : base($"{file}:{line}: {key}: {problem}")
    {
        File = file;
        Line = line;
        Key = key;
        Problem = problem;
    }

    /// <summary>Unused; required by the analyzers.</summary>
    public PolicyLoadException()
        : this("", 0, "", "")
    {
    }

    /// <summary>Unused; required by the analyzers.</summary>
    public PolicyLoadException(string message)
        : base(message)
    {
        File = Key = Problem = "";
    }

    /// <summary>Unused; required by the analyzers.</summary>
    public PolicyLoadException(string message, Exception inner)
        : base(message, inner)
    {
        File = Key = Problem = "";
    }

    /// <summary>File name.</summary>
    public string File { get; }

    /// <summary>1-based line.</summary>
    public long Line { get; }

    /// <summary>Dotted key path.</summary>
    public string Key { get; }

    /// <summary>What is wrong (zh-CN).</summary>
    public string Problem { get; }
}
