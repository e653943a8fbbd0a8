using Sojourn.Credentials;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace Sojourn.Credentials.Tests;

public class QrTests
{
    [Fact]
    public void Png_Credential_DecodesBackToSameText()
    {
        var credential = CredentialCodec.Issue(TestData.Claims(), TestData.Ring());

        var image = GrayImage.FromPng(CredentialQr.Png(credential, pixelsPerModule: 4));
        var source = new RGBLuminanceSource(image.Pixels, image.Width, image.Height, RGBLuminanceSource.BitmapFormat.Gray8);
        var decoded = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)));

        Assert.NotNull(decoded);
        Assert.Equal(credential, decoded.Text);
    }

    [Fact]
    public void Svg_Credential_IsSvgDocument()
    {
        var svg = CredentialQr.Svg("SJ1.test.test");

        Assert.Contains("<svg", svg);
        Assert.Contains("</svg>", svg);
    }
}
