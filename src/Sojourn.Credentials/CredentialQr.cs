using QRCoder;

namespace Sojourn.Credentials;

/// <summary>
/// Renders a credential (or its verification URL) as a QR code. Error correction M (15%) keeps the
/// code small yet survives a worn print; the credential uses byte mode (base64url).
/// </summary>
public static class CredentialQr
{
    public static byte[] Png(string text, int pixelsPerModule = 6)
    {
        using var data = Encode(text);
        return new PngByteQRCode(data).GetGraphic(pixelsPerModule);
    }

    public static string Svg(string text, int pixelsPerModule = 6)
    {
        using var data = Encode(text);
        return new SvgQRCode(data).GetGraphic(pixelsPerModule);
    }

    /// <summary>QR version (1–40) the text needs at error correction M.</summary>
    public static int Version(string text)
    {
        using var data = Encode(text);
        return data.Version;
    }

    private static QRCodeData Encode(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        return QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
    }
}

/// <summary>
/// Builds the URL of the public verification page: <c>{base}/v/{credential}</c>. The credential is
/// base64url with dots, all URL-safe, so no escaping is needed and the page can read it from the path.
/// </summary>
public static class VerificationUrl
{
    public static string Build(Uri baseUri, string credential)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        ArgumentException.ThrowIfNullOrEmpty(credential);
        return baseUri.AbsoluteUri.TrimEnd('/') + "/v/" + credential;
    }
}
