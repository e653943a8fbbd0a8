using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace Sojourn.Documents;

/// <summary>
/// Renders <see cref="OfficialDocument"/>s to PDF with PDFsharp (MIT) and an embedded Chinese font:
/// A4 for notices and certificates, an ID-1 card-sized page (85.6 × 54 mm) for the permit face.
/// </summary>
public sealed partial class PdfRenderer
{
    private const double Margin = 56; // about 20 mm
    private static readonly XSize A4 = new(595.28, 841.89);
    private readonly IReadOnlyList<(CjkFont Face, string Family)> _faces;

    /// <param name="fonts">The faces to draw with, first that has a character wins; <see cref="CjkFont.Locate"/> when null.</param>
    public PdfRenderer(IReadOnlyList<CjkFont>? fonts = null)
    {
        Fonts = fonts is { Count: > 0 } ? fonts : CjkFont.Locate();
        _faces = [.. Fonts.Select(f => (f, FontResolver.Register(f)))];
    }

    /// <summary>The faces in drawing order.</summary>
    public IReadOnlyList<CjkFont> Fonts { get; }

    public byte[] Render(OfficialDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        using var pdf = new PdfDocument();
        pdf.Info.Title = document.Title;
        pdf.Info.Creator = "Sojourn 流动人口服务管理平台";
        pdf.Options.CompressContentStreams = true;
        var images = new List<MemoryStream>();
        var marks = new RenderMarks();
        try
        {
            if (document.Kind == DocumentKind.PermitFace)
            {
                RenderCard(pdf, document, images, marks);
            }
            else
            {
                new PageWriter(pdf, this, marks).Write(document);
            }

            using var output = new MemoryStream();
            pdf.Save(output, false);
            return marks.Supplementary ? FixSupplementaryToUnicode(output.ToArray()) : output.ToArray();
        }
        finally
        {
            images.ForEach(s => s.Dispose());
        }
    }

    /// <summary>
    /// PDFsharp 6.2 writes a ToUnicode target beyond the BMP as the bare code point (&lt;20BB7&gt;)
    /// where the format wants UTF-16BE (&lt;D842DFB7&gt;), so search, copy and screen readers get
    /// garbage for an Extension B name. Rewrites those targets after saving; other documents skip this.
    /// </summary>
    internal static byte[] FixSupplementaryToUnicode(byte[] pdf)
    {
        using var input = new MemoryStream(pdf);
        using var document = PdfReader.Open(input, PdfDocumentOpenMode.Modify);
        foreach (var dictionary in document.Internals.GetAllObjects().OfType<PdfDictionary>())
        {
            if (dictionary.Stream is not { } stream)
            {
                continue;
            }

            var map = Encoding.Latin1.GetString(stream.UnfilteredValue);
            if (!map.Contains("beginbfrange", StringComparison.Ordinal) && !map.Contains("beginbfchar", StringComparison.Ordinal))
            {
                continue;
            }

            var fixedMap = SupplementaryTarget().Replace(map, m =>
            {
                var utf16 = char.ConvertFromUtf32(int.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                return $"<{(int)utf16[0]:X4}{(int)utf16[1]:X4}>";
            });
            if (!ReferenceEquals(fixedMap, map) && fixedMap != map)
            {
                dictionary.Elements.Remove(PdfDictionary.PdfStream.Keys.Filter);
                dictionary.Elements.Remove(PdfDictionary.PdfStream.Keys.DecodeParms);
                stream.Value = Encoding.Latin1.GetBytes(fixedMap);
            }
        }

        using var output = new MemoryStream();
        document.Save(output, false);
        return output.ToArray();
    }

    [GeneratedRegex("<([0-9A-Fa-f]{5,6})>")]
    private static partial Regex SupplementaryTarget();

    private void RenderCard(PdfDocument pdf, OfficialDocument d, List<MemoryStream> images, RenderMarks marks)
    {
        var page = pdf.AddPage();
        page.Width = XUnit.FromMillimeter(85.6);
        page.Height = XUnit.FromMillimeter(54);
        using var g = XGraphics.FromPdfPage(page);
        var w = page.Width.Point;
        var h = page.Height.Point;
        g.DrawRoundedRectangle(new XPen(XColors.SteelBlue, 0.8), 2, 2, w - 4, h - 4, 8, 8);
        var title = Style(12, marks);
        title.Draw(g, d.Title, XBrushes.Black, new XRect(0, 7, w, 16), XStringAlignment.Center);
        var label = Style(5.5, marks);
        var value = Style(6.5, marks);
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
            label.Draw(g, f.Label, XBrushes.DimGray, 8, y + 5.5);
            foreach (var line in TextLayout.Wrap(g, f.Value, value, valueWidth))
            {
                value.Draw(g, line, XBrushes.Black, valueX, y + 5.5);
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
            label.Draw(g, "照片", XBrushes.Gray, new XRect(photoX, photoY + (photoH / 2) - 3, photoW, 6), XStringAlignment.Center);
        }

        if (d.QrContent is { } qr)
        {
            DrawQr(g, qr, w - qrSize - 6, h - qrSize - 6, qrSize);
        }

        if (d.DocumentNumber is { } number)
        {
            label.Draw(g, "No. " + number, XBrushes.Black, 8, h - 8);
        }
    }

    private TextStyle Style(double size, RenderMarks marks) => new([.. _faces.Select(f => (f.Face, Unicode(f.Family, size)))], marks);

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
    private sealed class PageWriter(PdfDocument pdf, PdfRenderer renderer, RenderMarks marks)
    {
        private readonly TextStyle _heading = renderer.Style(22, marks);
        private readonly TextStyle _issuer = renderer.Style(15, marks);
        private readonly TextStyle _body = renderer.Style(12, marks);
        private readonly TextStyle _small = renderer.Style(10.5, marks);
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

        private void Centered(string text, TextStyle font, double height)
        {
            Ensure(height);
            font.Draw(G, text, XBrushes.Black, new XRect(Margin, _y, Width, height), XStringAlignment.Center);
            _y += height;
        }

        private void Paragraph(string text, TextStyle font, bool indent)
        {
            var lineHeight = font.Size * 1.7;
            var prefix = indent ? "\u3000\u3000" : "";
            foreach (var line in TextLayout.Wrap(G, prefix + text, font, Width))
            {
                Ensure(lineHeight);
                font.Draw(G, line, XBrushes.Black, Margin, _y + font.Size);
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
                _body.Draw(G, f.Label, XBrushes.Black, Margin + 6, _y + 5 + _body.Size);
                var ly = _y + 5 + _body.Size;
                foreach (var line in lines)
                {
                    _body.Draw(G, line, XBrushes.Black, Margin + labelWidth + 6, ly);
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
                        _small.Draw(G, line, XBrushes.Black, x + 4, ly);
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
            _body.Draw(G, d.Issuer + "（印章）", XBrushes.Black, new XRect(Margin, _y, Width, 20), XStringAlignment.Far);
            _body.Draw(G, PermitDocuments.D(d.IssuedOn), XBrushes.Black, new XRect(Margin, _y + 24, Width, 20), XStringAlignment.Far);
            if (d.QrContent is { } qr)
            {
                DrawQr(G, qr, Margin, _y, qrSize);
                _small.Draw(G, d.QrCaption, XBrushes.Black, new XRect(Margin, _y + qrSize + 2, qrSize, 14), XStringAlignment.Center);
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

/// <summary>
/// Text at one size drawn with a chain of faces: each character goes to the first face that has a
/// glyph for it (the bundled SC face for nearly everything, the HK/JP cut-downs for 生僻字 outside
/// it), so a rare name renders as glyphs rather than empty boxes. Runs of one face are drawn together.
/// </summary>
internal sealed class TextStyle(IReadOnlyList<(CjkFont Face, XFont Font)> chain, RenderMarks marks)
{
    public double Size => chain[0].Font.Size;

    public double Width(XGraphics g, string text) => Runs(text).Sum(r => g.MeasureString(r.Text, r.Font).Width);

    /// <summary>Draws on a baseline starting at (x, y).</summary>
    public void Draw(XGraphics g, string text, XBrush brush, double x, double y)
    {
        foreach (var (run, font) in Runs(text))
        {
            g.DrawString(run, font, brush, new XPoint(x, y));
            x += g.MeasureString(run, font).Width;
        }
    }

    /// <summary>Draws one line at the top of <paramref name="rect"/>, aligned near (left), center or far (right).</summary>
    public void Draw(XGraphics g, string text, XBrush brush, XRect rect, XStringAlignment alignment)
    {
        var width = Width(g, text);
        var x = alignment switch
        {
            XStringAlignment.Center => rect.X + ((rect.Width - width) / 2),
            XStringAlignment.Far => rect.Right - width,
            _ => rect.X,
        };
        // PDFsharp's own top alignment: the line height scaled by ascent over cell space.
        var font = chain[0].Font;
        Draw(g, text, brush, x, rect.Y + (font.GetHeight() * font.CellAscent / font.CellSpace));
    }

    private IEnumerable<(string Text, XFont Font)> Runs(string text)
    {
        var run = new System.Text.StringBuilder();
        XFont? current = null;
        foreach (var rune in text.EnumerateRunes())
        {
            var font = Pick(rune.Value);
            marks.Supplementary |= rune.Value > 0xFFFF;
            if (current is not null && !ReferenceEquals(font, current))
            {
                yield return (run.ToString(), current);
                run.Clear();
            }

            current = font;
            run.Append(rune.ToString());
        }

        if (current is not null)
        {
            yield return (run.ToString(), current);
        }
    }

    private XFont Pick(int codePoint)
    {
        foreach (var (face, font) in chain)
        {
            if (face.Covers(codePoint))
            {
                return font;
            }
        }

        return chain[0].Font;
    }
}

/// <summary>What one rendering drew that needs work after saving.</summary>
internal sealed class RenderMarks
{
    public bool Supplementary { get; set; }
}

/// <summary>Line breaking for mixed Chinese/Latin text: break anywhere, keep ASCII words whole when they fit.</summary>
internal static class TextLayout
{
    public static List<string> Wrap(XGraphics g, string text, TextStyle font, double width)
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
                if (line.Length > 0 && font.Width(g, line + token) > width)
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
