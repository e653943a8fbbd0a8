using System.Buffers.Binary;
using System.Text;

namespace Sojourn.Data.Documents;

/// <summary>
/// Finds a Chinese font at run time and turns it into a single TrueType face PDFsharp can embed.
/// Search order: configured paths, the <c>SOJOURN_PDF_FONT</c> environment variable, then system
/// fonts. TrueType-outline fonts come first because PDFsharp subsets them (a page embeds only the
/// glyphs it uses, tens of KB): WenQuanYi Zen Hei (Debian <c>fonts-wqy-zenhei</c>), AR PL UMing
/// (<c>fonts-arphic-uming</c>). Noto CJK (<c>fonts-noto-cjk</c>) has CFF outlines: PDFsharp embeds
/// the whole face (about 14 MB per file), so it is the last resort. A TrueType collection (.ttc) is
/// split here because PDFsharp 6.2 reads only single faces; the Simplified Chinese face is chosen.
/// </summary>
public sealed class CjkFont
{
    public const string EnvironmentVariable = "SOJOURN_PDF_FONT";

    public static readonly IReadOnlyList<string> SystemCandidates =
    [
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/arphic/uming.ttc",
        "/usr/share/fonts/truetype/arphic/ukai.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        "/System/Library/Fonts/PingFang.ttc",
        @"C:\Windows\Fonts\simsun.ttc",
        @"C:\Windows\Fonts\msyh.ttc",
    ];

    private CjkFont(string path, int faceIndex, string family, byte[] face)
    {
        Path = path;
        FaceIndex = faceIndex;
        Family = family;
        Face = face;
    }

    public string Path { get; }

    public int FaceIndex { get; }

    /// <summary>Family name read from the font's name table.</summary>
    public string Family { get; }

    /// <summary>True when the face has CFF outlines (embedded whole, not subset).</summary>
    public bool IsCff => BinaryPrimitives.ReadUInt32BigEndian(Face) == 0x4F54544F; // 'OTTO'

    internal byte[] Face { get; }

    /// <summary>
    /// Locates and loads a font, or throws <see cref="FileNotFoundException"/> listing where it looked.
    /// <paramref name="searchSystem"/> false looks only at <paramref name="configured"/>.
    /// </summary>
    public static CjkFont Locate(IEnumerable<string>? configured = null, bool searchSystem = true)
    {
        var candidates = new List<string>(configured ?? []);
        if (searchSystem && Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env)
        {
            candidates.Add(env);
        }

        if (searchSystem)
        {
            candidates.AddRange(SystemCandidates);
        }

        foreach (var path in candidates.Where(File.Exists))
        {
            return Load(path);
        }

        throw new FileNotFoundException(
            "未找到可嵌入PDF的中文字体。已查找：" + string.Join("；", candidates) +
            $"。请安装 fonts-wqy-zenhei（推荐，可子集嵌入）或 fonts-noto-cjk，或用环境变量 {EnvironmentVariable} / 配置项 Sojourn:Documents:FontPath 指定 .ttf/.ttc 文件。");
    }

    public static CjkFont Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var faces = FaceOffsets(bytes);
        var names = faces.Select(o => FamilyName(bytes, o)).ToList();
        var index = names.FindIndex(n => n.EndsWith(" SC", StringComparison.Ordinal) || n.Contains(" CN", StringComparison.Ordinal) || n.Contains("GB", StringComparison.Ordinal));
        index = index < 0 ? 0 : index;
        return new CjkFont(path, index, names[index], faces.Count == 1 && faces[0] == 0 ? bytes : ExtractFace(bytes, faces[index]));
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
