using System.Buffers.Binary;
using System.Text;

namespace Sojourn.Documents;

/// <summary>
/// One TrueType face PDFsharp can embed, with the set of characters it maps. The application ships
/// its own faces (<see cref="Bundled"/>: Noto Sans SC and two small Noto Sans HK/JP cut-downs for
/// what SC lacks, SIL OFL 1.1, rebuilt by <c>data/fonts/rebuild.sh</c>), so no document depends on
/// the fonts a server happens to have; a configured file (<c>Sojourn:Documents:FontPath</c> or the
/// <c>SOJOURN_PDF_FONT</c> environment variable) only goes in front of them as an override.
/// TrueType outlines matter: PDFsharp subsets them (a page embeds only the glyphs it uses), while a
/// CFF face is embedded whole. A collection (.ttc) is split here because PDFsharp 6.2 reads single
/// faces only; its Simplified Chinese face is chosen.
/// </summary>
public sealed class CjkFont
{
    public const string EnvironmentVariable = "SOJOURN_PDF_FONT";

    private static readonly Lazy<IReadOnlyList<CjkFont>> BundledFaces = new(LoadBundled);

    private readonly HashSet<int> _characters;

    private CjkFont(string path, int faceIndex, string family, byte[] face)
    {
        Path = path;
        FaceIndex = faceIndex;
        Family = family;
        Face = face;
        _characters = CharacterMap(face);
    }

    /// <summary>Where the face came from: a file path, or <c>bundled:NAME</c>.</summary>
    public string Path { get; }

    public int FaceIndex { get; }

    /// <summary>Family name read from the font's name table.</summary>
    public string Family { get; }

    /// <summary>True when the face has CFF outlines (embedded whole, not subset).</summary>
    public bool IsCff => BinaryPrimitives.ReadUInt32BigEndian(Face) == 0x4F54544F; // 'OTTO'

    /// <summary>How many characters the face maps to a glyph.</summary>
    public int CharacterCount => _characters.Count;

    internal byte[] Face { get; }

    /// <summary>The faces shipped inside this assembly, primary first.</summary>
    public static IReadOnlyList<CjkFont> Bundled => BundledFaces.Value;

    /// <summary>True when the face has a glyph for the Unicode scalar value.</summary>
    public bool Covers(int codePoint) => _characters.Contains(codePoint);

    /// <summary>
    /// The faces to draw with, in order: configured files (and <see cref="EnvironmentVariable"/>)
    /// as overrides, then the bundled faces. A configured file that does not exist is an error, not
    /// a silent fall-back, so a deployment learns that its override is wrong.
    /// </summary>
    public static IReadOnlyList<CjkFont> Locate(IEnumerable<string?>? configured = null, bool environment = true)
    {
        var paths = (configured ?? []).Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!).ToList();
        if (environment && Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env)
        {
            paths.Add(env);
        }

        if (paths.FirstOrDefault(p => !File.Exists(p)) is { } missing)
        {
            throw new FileNotFoundException(
                $"配置的PDF字体文件不存在：{missing}。请改正配置项 Sojourn:Documents:FontPath 或环境变量 {EnvironmentVariable}，或删去它以使用内置字体。", missing);
        }

        return [.. paths.Select(Load), .. Bundled];
    }

    public static CjkFont Load(string path) => FromBytes(path, File.ReadAllBytes(path));

    /// <summary>Reads a .ttf/.otf face or picks the Simplified Chinese face of a .ttc collection.</summary>
    public static CjkFont FromBytes(string source, byte[] bytes)
    {
        var faces = FaceOffsets(bytes);
        var names = faces.Select(o => FamilyName(bytes, o)).ToList();
        var index = names.FindIndex(n => n.EndsWith(" SC", StringComparison.Ordinal) || n.Contains(" CN", StringComparison.Ordinal) || n.Contains("GB", StringComparison.Ordinal));
        index = index < 0 ? 0 : index;
        return new CjkFont(source, index, names[index], faces.Count == 1 && faces[0] == 0 ? bytes : ExtractFace(bytes, faces[index]));
    }

    private static IReadOnlyList<CjkFont> LoadBundled()
    {
        string[] names = ["NotoSansSC-Regular.ttf", "NotoSansHK-Extra.ttf", "NotoSansJP-Extra.ttf"];
        var assembly = typeof(CjkFont).Assembly;
        return [.. names.Select(name =>
        {
            using var stream = assembly.GetManifestResourceStream("Sojourn.Documents.Fonts." + name)
                ?? throw new InvalidOperationException("内置PDF字体缺失：" + name);
            using var buffer = new MemoryStream((int)stream.Length);
            stream.CopyTo(buffer);
            return FromBytes("bundled:" + name, buffer.ToArray());
        })];
    }

    /// <summary>Characters mapped by the Windows Unicode cmap (format 12 preferred, else format 4).</summary>
    private static HashSet<int> CharacterMap(byte[] font)
    {
        var result = new HashSet<int>();
        var cmap = Tables(font, 0).FirstOrDefault(t => t.Tag == 0x636D6170); // 'cmap'
        if (cmap.Length == 0)
        {
            return result;
        }

        var span = font.AsSpan(cmap.Offset, cmap.Length);
        int count = BinaryPrimitives.ReadUInt16BigEndian(span[2..]);
        int format4 = -1, format12 = -1;
        for (var i = 0; i < count; i++)
        {
            var record = span[(4 + (8 * i))..];
            int platform = BinaryPrimitives.ReadUInt16BigEndian(record);
            int encoding = BinaryPrimitives.ReadUInt16BigEndian(record[2..]);
            var offset = (int)BinaryPrimitives.ReadUInt32BigEndian(record[4..]);
            int format = BinaryPrimitives.ReadUInt16BigEndian(span[offset..]);
            if (format == 12 && (platform == 0 || (platform == 3 && encoding == 10)))
            {
                format12 = offset;
            }
            else if (format == 4 && (platform == 0 || (platform == 3 && encoding == 1)))
            {
                format4 = offset;
            }
        }

        if (format12 >= 0)
        {
            var groups = (int)BinaryPrimitives.ReadUInt32BigEndian(span[(format12 + 12)..]);
            for (var g = 0; g < groups; g++)
            {
                var group = span[(format12 + 16 + (12 * g))..];
                var first = (int)BinaryPrimitives.ReadUInt32BigEndian(group);
                var last = (int)BinaryPrimitives.ReadUInt32BigEndian(group[4..]);
                var glyph = BinaryPrimitives.ReadUInt32BigEndian(group[8..]);
                for (var c = first; c <= last; c++)
                {
                    if (glyph + (uint)(c - first) != 0)
                    {
                        result.Add(c);
                    }
                }
            }
        }
        else if (format4 >= 0)
        {
            var table = span[format4..];
            var segments = BinaryPrimitives.ReadUInt16BigEndian(table[6..]) / 2;
            for (var s = 0; s < segments; s++)
            {
                int end = BinaryPrimitives.ReadUInt16BigEndian(table[(14 + (2 * s))..]);
                int start = BinaryPrimitives.ReadUInt16BigEndian(table[(16 + (2 * segments) + (2 * s))..]);
                for (var c = start; c <= end && c != 0xFFFF; c++)
                {
                    result.Add(c);
                }
            }
        }

        return result;
    }

    private static List<int> FaceOffsets(byte[] font)
    {
        if (BinaryPrimitives.ReadUInt32BigEndian(font) != 0x74746366) // 'ttcf'
        {
            return [0];
        }

        var count = (int)BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(8));
        return [.. Enumerable.Range(0, count).Select(i => (int)BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(12 + (4 * i))))];
    }

    private static IEnumerable<(uint Tag, int Offset, int Length)> Tables(byte[] font, int faceOffset)
    {
        int n = BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(faceOffset + 4));
        for (var i = 0; i < n; i++)
        {
            var record = faceOffset + 12 + (16 * i);
            yield return (BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(record)),
                (int)BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(record + 8)),
                (int)BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(record + 12)));
        }
    }

    /// <summary>Copies one face of a collection into a standalone sfnt, table data 4-byte aligned.</summary>
    private static byte[] ExtractFace(byte[] ttc, int faceOffset)
    {
        var tables = Tables(ttc, faceOffset).ToList();
        var headerLength = 12 + (16 * tables.Count);
        var output = new byte[headerLength + tables.Sum(t => (t.Length + 3) & ~3)];
        ttc.AsSpan(faceOffset, headerLength).CopyTo(output);
        var position = headerLength;
        for (var i = 0; i < tables.Count; i++)
        {
            ttc.AsSpan(tables[i].Offset, tables[i].Length).CopyTo(output.AsSpan(position));
            BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(12 + (16 * i) + 8), (uint)position);
            position += (tables[i].Length + 3) & ~3;
        }

        return output;
    }

    /// <summary>Family name (name id 1), Windows Unicode English record preferred.</summary>
    private static string FamilyName(byte[] font, int faceOffset)
    {
        foreach (var (tag, offset, _) in Tables(font, faceOffset))
        {
            if (tag != 0x6E616D65) // 'name'
            {
                continue;
            }

            int count = BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(offset + 2));
            int strings = offset + BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(offset + 4));
            string? any = null;
            for (var i = 0; i < count; i++)
            {
                var r = offset + 6 + (12 * i);
                int platform = BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(r));
                int language = BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(r + 4));
                int nameId = BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(r + 6));
                int length = BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(r + 8));
                int start = strings + BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(r + 10));
                if (nameId != 1 || platform != 3)
                {
                    continue;
                }

                var name = Encoding.BigEndianUnicode.GetString(font, start, length);
                if (language == 0x0409)
                {
                    return name;
                }

                any ??= name;
            }

            return any ?? "";
        }

        return "";
    }
}
