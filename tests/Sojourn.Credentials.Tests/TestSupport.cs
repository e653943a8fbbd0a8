using System.Buffers.Binary;
using System.IO.Compression;
using Sojourn.Credentials;

namespace Sojourn.Credentials.Tests;

/// <summary>A clock that stands still where the test puts it.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Builders for credentials and rings with readable defaults.</summary>
internal static class TestData
{
    public static readonly IssuingAuthority Gulou = new("320106", "南京市公安局鼓楼分局");
    public static readonly DateTimeOffset IssuedAt = new(2026, 5, 6, 9, 0, 0, TimeSpan.FromHours(8));
    public static readonly byte[] Photo = "photo-of-zhang-san-ming"u8.ToArray();

    public static IssuerKeyRing Ring(IssuingAuthority? authority = null) =>
        IssuerKeyRing.Generate(authority ?? Gulou, new FixedTime(IssuedAt.AddDays(-1)));

    /// <summary>Permit 2026-05-06..2029-05-05, next endorsement due by 2027-05-06 (dates as the rules engine would give them).</summary>
    public static PermitCredential Claims(IssuingAuthority? authority = null) => new()
    {
        MaskedName = NameMask.Mask("张三明"),
        PhotoDigest = PhotoDigest.Compute(Photo),
        PermitNumber = "3201062026000001",
        ValidFrom = new DateOnly(2026, 5, 6),
        ValidUntil = new DateOnly(2029, 5, 5),
        Endorsement = EndorsementStatus.NotDue,
        NextEndorsementDeadline = new DateOnly(2027, 5, 6),
        Authority = authority ?? Gulou,
        StatusIndex = 42,
        IssuedAt = IssuedAt,
    };

    /// <summary>Noon China Standard Time on a day.</summary>
    public static DateTimeOffset Noon(int y, int m, int d) => new(y, m, d, 12, 0, 0, TimeSpan.FromHours(8));
}

/// <summary>Just enough PNG decoding (non-interlaced, 1- or 8-bit, grey/RGB/RGBA) to read our own images back.</summary>
internal sealed record GrayImage(int Width, int Height, byte[] Pixels)
{
    public static GrayImage FromPng(byte[] png)
    {
        var pos = 8;
        int width = 0, height = 0, depth = 0, colour = 0;
        using var idat = new MemoryStream();
        while (pos < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                depth = data[8];
                colour = data[9];
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            pos += 12 + length;
        }

        var channels = colour switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, _ => throw new NotSupportedException($"PNG colour type {colour}") };
        var bitsPerPixel = channels * depth;
        var stride = ((width * bitsPerPixel) + 7) / 8;
        var bpp = Math.Max(1, bitsPerPixel / 8);
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new byte[(stride + 1) * height];
        z.ReadExactly(raw);
        var previous = new byte[stride];
        var pixels = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var line = raw.AsSpan((y * (stride + 1)) + 1, stride);
            for (var i = 0; i < stride; i++)
            {
                int a = i >= bpp ? line[i - bpp] : 0, b = previous[i], c = i >= bpp ? previous[i - bpp] : 0;
                line[i] += filter switch
                {
                    1 => (byte)a,
                    2 => (byte)b,
                    3 => (byte)((a + b) / 2),
                    4 => Paeth(a, b, c),
                    _ => 0,
                };
            }

            for (var x = 0; x < width; x++)
            {
                pixels[(y * width) + x] = depth == 1
                    ? ((line[x / 8] >> (7 - (x % 8))) & 1) == 1 ? (byte)255 : (byte)0
                    : line[x * channels];
            }

            line.CopyTo(previous);
        }

        return new GrayImage(width, height, pixels);
    }

    /// <summary>An 8-bit RGB PNG (the kind PDFsharp embeds) of a simple portrait-like pattern.</summary>
    public static byte[] RgbPng(int width, int height)
    {
        var raw = new byte[(width * 3 + 1) * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = (y * (width * 3 + 1)) + 1 + (x * 3);
                var inFace = Math.Pow((x - (width / 2.0)) / (width / 3.0), 2) + Math.Pow((y - (height / 2.5)) / (height / 3.5), 2) < 1;
                (raw[i], raw[i + 1], raw[i + 2]) = inFace ? ((byte)230, (byte)190, (byte)160) : ((byte)70, (byte)110, (byte)170);
            }
        }

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        Chunk(png, "IHDR", header);
        using (var compressed = new MemoryStream())
        {
            using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                z.Write(raw);
            }

            Chunk(png, "IDAT", compressed.ToArray());
        }

        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var buffer = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buffer, data.Length);
        s.Write(buffer);
        var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        s.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(buffer, Crc32(typed));
        s.Write(buffer);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    private static byte Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
    }
}
