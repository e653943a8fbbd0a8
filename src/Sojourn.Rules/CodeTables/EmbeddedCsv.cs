namespace Sojourn.Rules;

/// <summary>Reads the simple CSV files under <c>data/</c> that are embedded into this assembly.</summary>
/// <remarks>The build scripts guarantee no field contains a comma, quote or newline, so no quoting is handled;
/// a quote in a file is reported as an error instead of being misread.</remarks>
internal static class EmbeddedCsv
{
    /// <summary>Rows (without the header) of an embedded CSV; the header must equal <paramref name="expectedHeader"/>.</summary>
    public static List<string[]> Read(string logicalName, string expectedHeader)
    {
        using var stream = typeof(EmbeddedCsv).Assembly.GetManifestResourceStream(logicalName)
            ?? throw new InvalidOperationException($"Embedded resource {logicalName} is missing.");
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return Parse(reader, logicalName, expectedHeader);
    }

    /// <summary>Parses CSV text; throws <see cref="InvalidDataException"/> on a malformed file.</summary>
    public static List<string[]> Parse(TextReader reader, string source, string expectedHeader)
    {
        var header = reader.ReadLine();
        if (!string.Equals(header?.TrimStart('\uFEFF'), expectedHeader, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{source}: header '{header}' is not '{expectedHeader}'.");
        }

        var width = expectedHeader.Split(',').Length;
        var rows = new List<string[]>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split(',');
            if (fields.Length != width || line.Contains('"', StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{source}:{lineNumber}: expected {width} unquoted fields.");
            }

            rows.Add(fields);
        }

        return rows;
    }
}
