using System.Collections.Concurrent;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Sojourn.Data.Documents;

/// <summary>
/// Renders <see cref="OfficialDocument"/>s to PDF with PDFsharp (MIT) and an embedded Chinese font:
/// A4 for notices and certificates, an ID-1 card-sized page (85.6 × 54 mm) for the permit face.
/// </summary>
public sealed class PdfRenderer
{
    private const double Margin = 56; // about 20 mm
    private static readonly XSize A4 = new(595.28, 841.89);
    private readonly string _family;

    /// <param name="font">The font to embed; <see cref="CjkFont.Locate"/> when null.</param>
    public PdfRenderer(CjkFont? font = null)
    {
        Font = font ?? CjkFont.Locate();
        _family = FontResolver.Register(Font);
    }

    public CjkFont Font { get; }

    public byte[] Render(OfficialDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var pdf = new PdfDocument();
        pdf.Info.Title = document.Title;
        pdf.Info.Creator = "Sojourn 流动人口服务管理平台";
        pdf.Options.CompressContentStreams = true;
        var images = new List<MemoryStream>();
        try
        {
            if (document.Kind == DocumentKind.PermitFace)
            {
                RenderCard(pdf, document, images);
            }
            else
            {
                new PageWriter(pdf, _family).Write(document);
            }

            using var output = new MemoryStream();
            pdf.Save(output, false);
            return output.ToArray();
        }
        finally
        {
            images.ForEach(s => s.Dispose());
        }
    }

    private void RenderCard(PdfDocument pdf, OfficialDocument d, List<MemoryStream> images)
    {
        var page = pdf.AddPage();
        page.Width = XUnit.FromMillimeter(85.6);
        page.Height = XUnit.FromMillimeter(54);
        using var g = XGraphics.FromPdfPage(page);
        var w = page.Width.Point;
        var h = page.Height.Point;
        g.DrawRoundedRectangle(new XPen(XColors.SteelBlue, 0.8), 2, 2, w - 4, h - 4, 8, 8);
        var title = Unicode(_family, 12);
        g.DrawString(d.Title, title, XBrushes.Black, new XRect(0, 7, w, 16), XStringFormats.TopCenter);
        var label = Unicode(_family, 5.5);
        var value = Unicode(_family, 6.5);
        var photoW = XUnit.FromMillimeter(18).Point;
        var photoH = XUnit.FromMillimeter(21).Point;
        const double photoY = 24;
        var photoX = w - photoW - 8;
        var y = 27.0;
        var valueX = 44.0;
        var qrSize = h - photoY - photoH - 8;
        var valueWidth = Math.Min(photoX, w - qrSize - 6) - valueX - 4;
        foreach (var f in d.Fields)
        {
            g.DrawString(f.Label, label, XBrushes.DimGray, new XPoint(8, y + 5.5));
            foreach (var line in TextLayout.Wrap(g, f.Value, value, valueWidth))
            {
                g.DrawString(line, value, XBrushes.Black, new XPoint(valueX, y + 5.5));
                y += 8.5;
            }

            y += 1.5;
        }

        g.DrawRectangle(XPens.Gray, photoX, photoY, photoW, photoH);
        if (d.Photo is { } photo)
        {
            g.DrawImage(Image(photo, images), photoX, photoY, photoW, photoH);
        }
        else
        {
            g.DrawString("照片", label, XBrushes.Gray, new XRect(photoX, photoY, photoW, photoH), XStringFormats.Center);
        }

        if (d.QrContent is { } qr)
        {
            DrawQr(g, qr, w - qrSize - 6, h - qrSize - 6, qrSize);
        }

        if (d.DocumentNumber is { } number)
        {
            g.DrawString("No. " + number, label, XBrushes.Black, new XPoint(8, h - 8));
        }
    }

    /// <summary>
    /// Always the Unicode (Type0, Identity-H) encoding: with the default, PDFsharp writes ASCII-only
    /// strings through a second font object that comes out broken for CFF faces (digits vanish).
    /// </summary>
    private static XFont Unicode(string family, double size) =>
        new(family, size, XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode));

    /// <summary>Draws a QR code (error correction M) as filled squares, quiet zone included in <paramref name="size"/>.</summary>
    internal static void DrawQr(XGraphics g, string content, double x, double y, double size)
    {
        using var data = QRCoder.QRCodeGenerator.GenerateQrCode(content, QRCoder.QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix; // includes a 4-module quiet zone on each side
        var module = size / matrix.Count;
        g.DrawRectangle(XBrushes.White, x, y, size, size);
        for (var row = 0; row < matrix.Count; row++)
        {
            for (var col = 0; col < matrix[row].Length; col++)
            {
                if (matrix[row][col])
                {
                    // A hair of overlap avoids white seams between modules in some viewers.
                    g.DrawRectangle(XBrushes.Black, x + (col * module), y + (row * module), module + 0.05, module + 0.05);
                }
            }
        }
    }

    internal static XImage Image(ReadOnlyMemory<byte> bytes, List<MemoryStream> keepAlive)
    {
        var stream = new MemoryStream(bytes.ToArray(), writable: false);
        keepAlive.Add(stream);
        return XImage.FromStream(stream);
    }

    /// <summary>Writes an A4 document top to bottom, adding pages when the text runs over.</summary>
    private sealed class PageWriter(PdfDocument pdf, string family)
    {
        private readonly XFont _heading = Unicode(family, 22);
        private readonly XFont _issuer = Unicode(family, 15);
        private readonly XFont _body = Unicode(family, 12);
        private readonly XFont _small = Unicode(family, 10.5);
        private XGraphics? _g;
        private double _y;

        private XGraphics G => _g!;

        private static double Width => A4.Width - (2 * Margin);

        public void Write(OfficialDocument d)
        {
            NewPage();
            try
            {
                Centered(d.Issuer, _issuer, 24);
                Centered(d.Title, _heading, 36);
                if (d.DocumentNumber is { } number)
                {
                    Centered(number, _small, 22);
                }

                G.DrawLine(new XPen(XColors.DarkRed, 1.2), Margin, _y, A4.Width - Margin, _y);
                _y += 18;
                if (d.Recipient is { } recipient)
                {
                    Paragraph(recipient, _body, indent: false);
                }

                foreach (var p in d.Paragraphs)
                {
                    Paragraph(p, _body, indent: true);
                }

                if (d.Fields.Count > 0)
                {
                    Fields(d.Fields);
                }

                if (d.Table.Count > 0)
                {
                    Grid(d.Table);
                }

                if (d.Basis.Count > 0)
                {
                    _y += 6;
                    Paragraph("法律依据：", _body, indent: false);
                    foreach (var b in d.Basis)
                    {
                        Paragraph(b.ToString(), _small, indent: true);
                    }
                }

                foreach (var note in d.Notes)
                {
                    Paragraph(note, _small, indent: true);
                }

                Signature(d);
            }
            finally
            {
                _g?.Dispose();
            }
        }

        private void NewPage()
        {
            _g?.Dispose();
            var page = pdf.AddPage();
            page.Width = XUnit.FromPoint(A4.Width);
            page.Height = XUnit.FromPoint(A4.Height);
            _g = XGraphics.FromPdfPage(page);
            _y = Margin;
        }

        private void Ensure(double height)
        {
            if (_y + height > A4.Height - Margin)
            {
                NewPage();
            }
        }

        private void Centered(string text, XFont font, double height)
        {
            Ensure(height);
            G.DrawString(text, font, XBrushes.Black, new XRect(Margin, _y, Width, height), XStringFormats.TopCenter);
            _y += height;
        }

        private void Paragraph(string text, XFont font, bool indent)
        {
            var lineHeight = font.Size * 1.7;
            var prefix = indent ? "\u3000\u3000" : "";
            foreach (var line in TextLayout.Wrap(G, prefix + text, font, Width))
            {
                Ensure(lineHeight);
                G.DrawString(line, font, XBrushes.Black, new XPoint(Margin, _y + font.Size));
                _y += lineHeight;
            }
        }

        private void Fields(IReadOnlyList<DocumentField> fields)
        {
            const double labelWidth = 110;
            _y += 6;
            foreach (var f in fields)
            {
                var lines = TextLayout.Wrap(G, f.Value, _body, Width - labelWidth - 12);
                var height = Math.Max(1, lines.Count) * _body.Size * 1.6 + 10;
                Ensure(height);
                G.DrawRectangle(XPens.Gray, Margin, _y, labelWidth, height);
                G.DrawRectangle(XPens.Gray, Margin + labelWidth, _y, Width - labelWidth, height);
                G.DrawString(f.Label, _body, XBrushes.Black, new XPoint(Margin + 6, _y + 5 + _body.Size));
                var ly = _y + 5 + _body.Size;
                foreach (var line in lines)
                {
                    G.DrawString(line, _body, XBrushes.Black, new XPoint(Margin + labelWidth + 6, ly));
                    ly += _body.Size * 1.6;
                }

                _y += height;
            }

            _y += 12;
        }

        private void Grid(IReadOnlyList<IReadOnlyList<string>> rows)
        {
            var columns = rows.Max(r => r.Count);
            var cellWidth = Width / columns;
            foreach (var row in rows)
            {
                var cells = row.Select(c => TextLayout.Wrap(G, c, _small, cellWidth - 8)).ToList();
                var height = Math.Max(1, cells.Max(c => c.Count)) * _small.Size * 1.5 + 8;
                Ensure(height);
                for (var i = 0; i < columns; i++)
                {
                    var x = Margin + (i * cellWidth);
                    G.DrawRectangle(XPens.Gray, x, _y, cellWidth, height);
                    var ly = _y + 4 + _small.Size;
                    foreach (var line in i < cells.Count ? cells[i] : [])
                    {
                        G.DrawString(line, _small, XBrushes.Black, new XPoint(x + 4, ly));
                        ly += _small.Size * 1.5;
                    }
                }

                _y += height;
            }

            _y += 12;
        }

        private void Signature(OfficialDocument d)
        {
            const double qrSize = 96;
            _y += 18;
            Ensure(qrSize + 24);
            G.DrawString(d.Issuer + "（印章）", _body, XBrushes.Black, new XRect(Margin, _y, Width, 20), XStringFormats.TopRight);
            G.DrawString(PermitDocuments.D(d.IssuedOn), _body, XBrushes.Black, new XRect(Margin, _y + 24, Width, 20), XStringFormats.TopRight);
            if (d.QrContent is { } qr)
            {
                DrawQr(G, qr, Margin, _y, qrSize);
                G.DrawString(d.QrCaption, _small, XBrushes.Black, new XRect(Margin, _y + qrSize + 2, qrSize, 14), XStringFormats.TopCenter);
            }

            _y += qrSize + 24;
        }
    }

    /// <summary>
    /// One resolver for the process (PDFsharp allows a single one): every registered font gets its
    /// own family name, keyed by path and face, so several renderers with different fonts coexist.
    /// </summary>
    private sealed class FontResolver : IFontResolver
    {
        private static readonly FontResolver Instance = new();
        private static readonly Lock Gate = new();
        private readonly ConcurrentDictionary<string, byte[]> _faces = new(StringComparer.Ordinal);

        public static string Register(CjkFont font)
        {
            var family = $"Sojourn CJK|{font.Path}|{font.FaceIndex}";
            Instance._faces.TryAdd(family, font.Face);
            lock (Gate)
            {
                if (GlobalFontSettings.FontResolver is null)
                {
                    GlobalFontSettings.FontResolver = Instance;
                }
                else if (!ReferenceEquals(GlobalFontSettings.FontResolver, Instance))
                {
                    throw new InvalidOperationException("PDFsharp 的字体解析器已被其他组件设置，无法嵌入中文字体。");
                }
            }

            return family;
        }

        public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
            _faces.ContainsKey(familyName) ? new FontResolverInfo(familyName) : null;

        public byte[]? GetFont(string faceName) => _faces.TryGetValue(faceName, out var face) ? face : null;
    }
}

/// <summary>Line breaking for mixed Chinese/Latin text: break anywhere, keep ASCII words whole when they fit.</summary>
internal static class TextLayout
{
    public static List<string> Wrap(XGraphics g, string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            var line = new System.Text.StringBuilder();
            var i = 0;
            while (i < paragraph.Length)
            {
                // An ASCII run (a number, a code) moves as one token; CJK characters one by one.
                var end = i + 1;
                if (char.IsAscii(paragraph[i]) && paragraph[i] != ' ')
                {
                    while (end < paragraph.Length && char.IsAscii(paragraph[end]) && paragraph[end] != ' ')
                    {
                        end++;
                    }
                }
                else if (char.IsHighSurrogate(paragraph[i]) && end < paragraph.Length)
                {
                    end++;
                }

                var token = paragraph[i..end];
                if (line.Length > 0 && g.MeasureString(line + token, font).Width > width)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }

                line.Append(token);
                i = end;
            }

            lines.Add(line.ToString());
        }

        return lines;
    }
}
