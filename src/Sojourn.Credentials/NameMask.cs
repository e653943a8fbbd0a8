using System.Globalization;
using System.Text;

namespace Sojourn.Credentials;

/// <summary>
/// Masks a name for a checker: keeps the first and last character and stars the middle
/// (张三明 → 张*明, 欧阳娜娜 → 欧**娜); a two-character name keeps the first (张三 → 张*).
/// Works on text elements so that characters outside the BMP (e.g. 𠮷) count as one.
/// </summary>
public static class NameMask
{
    public static string Mask(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var elements = new List<string>();
        var e = StringInfo.GetTextElementEnumerator(name.Trim());
        while (e.MoveNext())
        {
            elements.Add(e.GetTextElement());
        }

        return elements.Count switch
        {
            0 => "",
            1 => elements[0],
            2 => elements[0] + "*",
            _ => new StringBuilder(elements[0]).Append('*', elements.Count - 2).Append(elements[^1]).ToString(),
        };
    }
}

/// <summary>SM3 digest of the photo bytes, base64url when shown.</summary>
public static class PhotoDigest
{
    public static byte[] Compute(ReadOnlySpan<byte> photo) => Sm2.Sm3(photo);

    public static string ComputeBase64Url(ReadOnlySpan<byte> photo) => System.Buffers.Text.Base64Url.EncodeToString(Sm2.Sm3(photo));
}
