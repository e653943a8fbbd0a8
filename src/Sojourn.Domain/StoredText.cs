namespace Sojourn.Domain;

/// <summary>
/// The one rule for text Sojourn stores or echoes: no C0/C1 control characters (NUL breaks PostgreSQL, ESC
/// drives terminals) except tab and line breaks, no bidirectional controls (U+202A–U+202E, U+2066–U+2069,
/// U+200E, U+200F, U+061C: they let a name display as another on screens and PDFs), no unpaired surrogates
/// and no noncharacters U+FFFE/U+FFFF (neither encodes to valid UTF-8).
/// </summary>
public static class StoredText
{
    /// <summary>True when <paramref name="value"/> may be stored as it is.</summary>
    public static bool IsSafe(string? value) => value is null || IndexOfUnsafe(value) < 0;

    /// <summary>The index of the first character the rule refuses, or -1.</summary>
    public static int IndexOfUnsafe(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    i++;
                    continue;
                }

                return i;
            }

            if (char.IsLowSurrogate(c) || IsRefused(c))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsRefused(char c) => c switch
    {
        '\t' or '\n' or '\r' => false,
        < '\u0020' or (>= '\u007F' and <= '\u009F') => true,
        (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C' => true,
        '\uFFFE' or '\uFFFF' => true,
        _ => false,
    };
}
