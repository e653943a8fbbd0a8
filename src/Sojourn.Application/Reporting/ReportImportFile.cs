using System.Globalization;
using MiniExcelLibs;
using MiniExcelLibs.Csv;
using Sojourn.Application.Registrations;
using Sojourn.Domain;

namespace Sojourn.Application.Reporting;

/// <summary>One data row of a batch file: its number as a spreadsheet shows it, the request it reads as, and the cells it could not read.</summary>
internal sealed record ImportRow(int RowNumber, ReportRequest? Request, IReadOnlyList<ImportCellError> Errors);

/// <summary>A reason a row is refused: the column as the file names it, and why (zh-CN).</summary>
internal sealed record ImportCellError(string Column, string Reason);

/// <summary>
/// Reads a batch file of reports (CSV in UTF-8, or XLSX: its first sheet) row by row through MiniExcel's lazy reader;
/// nothing is validated here beyond turning a cell into the type the single report's JSON would carry (a date, a
/// number, a yes/no): every rule is <see cref="ReportUseCases.PrepareAsync"/>'s. The header row names the columns
/// by the single report's field names (<c>idNumber</c>) or their Chinese labels (公民身份号码); see docs/reporting-batch.md.
/// </summary>
internal static class ReportImportFile
{
    public const string Csv = "csv";
    public const string Xlsx = "xlsx";

    /// <summary>The columns: the request's field name, then the Chinese headers accepted for it (the first is the one we print).</summary>
    public static readonly IReadOnlyList<(string Field, string[] Chinese)> Columns =
    [
        ("kind", ["报送类型", "类型"]),
        ("occurredAt", ["发生时间", "事件时间"]),
        ("roomId", ["房间编号"]),
        ("name", ["姓名"]),
        ("sex", ["性别"]),
        ("ethnicGroup", ["民族"]),
        ("birthDate", ["出生日期"]),
        ("idNumber", ["公民身份号码", "身份证号码", "身份证号"]),
        ("hukouDivision", ["户籍地区划代码", "户籍地区划"]),
        ("hukouAddress", ["户籍地址", "户籍地详址"]),
        ("residenceDivision", ["居住地区划代码", "居住地区划"]),
        ("residenceAddress", ["居住地址", "居住地详址"]),
        ("workplace", ["服务处所"]),
        ("education", ["受教育程度", "文化程度"]),
        ("employment", ["劳动就业", "就业状况"]),
        ("socialInsurance", ["社会保险", "社会保障"]),
        ("maritalStatus", ["婚姻状况"]),
        ("marriageBirthCertificate", ["婚育证明"]),
        ("arrivedOn", ["到达日期", "到达居住地日期"]),
        ("intendedDays", ["拟居住天数"]),
        ("purpose", ["居住事由"]),
        ("lodging", ["住所类型", "居住处所类型"]),
    ];

    /// <summary>Columns a file must name (the others may be left out: the single report's defaults apply).</summary>
    public static readonly IReadOnlyList<string> RequiredColumns = ["kind", "occurredAt", "idNumber"];

    private static readonly Dictionary<string, string> HeaderToField = BuildHeaders();

    /// <summary>csv or xlsx from the bytes (an XLSX is a ZIP: <c>PK\x03\x04</c>), whatever the file is called.</summary>
    public static string FormatOf(ReadOnlySpan<byte> content) =>
        content.Length >= 4 && content[0] == 0x50 && content[1] == 0x4B && content[2] == 0x03 && content[3] == 0x04 ? Xlsx : Csv;

    /// <summary>The field a header names (English field name or a Chinese label, case and spaces ignored), or null.</summary>
    public static string? FieldOf(string? header) =>
        header is null ? null : HeaderToField.GetValueOrDefault(header.Trim().TrimStart('\uFEFF').Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant());

    /// <summary>The header we print for a field (its first Chinese label).</summary>
    public static string ChineseHeaderOf(string field) =>
        Columns.FirstOrDefault(c => c.Field == field).Chinese?[0] ?? field;

    /// <summary>The header line of a template: every column's Chinese label.</summary>
    public static string TemplateHeader => string.Join(",", Columns.Select(c => c.Chinese[0]));

    /// <summary>
    /// The headers of the file mapped to fields; a column that names no field is ignored. Null when the file cannot be
    /// read or lacks a required column.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? ReadHeader(Stream content, string format)
    {
        ArgumentNullException.ThrowIfNull(content);
        try
        {
            var first = Query(content, format, useHeaderRow: false).FirstOrDefault();
            if (first is null)
            {
                return null;
            }

            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (_, value) in first)
            {
                var header = Convert.ToString(value, CultureInfo.InvariantCulture);
                if (FieldOf(header) is { } field && !map.ContainsValue(field))
                {
                    map[header!.Trim().TrimStart('\uFEFF')] = field;
                }
            }

            return RequiredColumns.All(map.ContainsValue) ? map : null;
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException or IOException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The data rows from <paramref name="skip"/> on (rows already processed), read lazily.</summary>
    public static IEnumerable<ImportRow> Rows(Stream content, string format, int skip = 0)
    {
        ArgumentNullException.ThrowIfNull(content);
        var number = 1;
        foreach (var row in Query(content, format, useHeaderRow: true))
        {
            number++;
            if (number - 2 < skip)
            {
                continue;
            }

            yield return Read(number, row);
        }
    }

    /// <summary>How many data rows the file has (read through once, nothing kept).</summary>
    public static int Count(Stream content, string format) => Query(content, format, useHeaderRow: true).Count();

    private static IEnumerable<IDictionary<string, object?>> Query(Stream content, string format, bool useHeaderRow)
    {
        var type = format == Xlsx ? ExcelType.XLSX : ExcelType.CSV;
        var config = format == Xlsx ? null : new CsvConfiguration { Seperator = ',' };
        foreach (var row in MiniExcel.Query(content, useHeaderRow: useHeaderRow, excelType: type, configuration: config))
        {
            yield return (IDictionary<string, object?>)row;
        }
    }

    private static ImportRow Read(int number, IDictionary<string, object?> row)
    {
        var errors = new List<ImportCellError>();
        var cells = new Dictionary<string, (string Header, object? Value)>(StringComparer.Ordinal);
        foreach (var (header, value) in row)
        {
            if (FieldOf(header) is { } field && !cells.ContainsKey(field))
            {
                cells[field] = (header.Trim().TrimStart('\uFEFF'), value);
            }
        }

        string? Text(string field)
        {
            if (!cells.TryGetValue(field, out var cell) || cell.Value is null)
            {
                return null;
            }

            var s = cell.Value switch
            {
                DateTime d => d.TimeOfDay == TimeSpan.Zero
                    ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                    : d.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture),
                double n => n.ToString("0.##########", CultureInfo.InvariantCulture),
                _ => Convert.ToString(cell.Value, CultureInfo.InvariantCulture),
            };
            s = s?.Trim();
            if (string.IsNullOrEmpty(s))
            {
                return null;
            }

            // The boundary rule every JSON string meets (TextBoundary), here for a cell.
            if (!StoredText.IsSafe(s) || s.Length > 4096)
            {
                errors.Add(new ImportCellError(cell.Header, Messages.Format("Field_UnsafeText", cell.Header)));
                return null;
            }

            return s;
        }

        DateOnly? Date(string field)
        {
            var s = Text(field);
            if (s is null)
            {
                return null;
            }

            string[] formats = ["yyyy-MM-dd", "yyyy/M/d", "yyyy-M-d", "yyyyMMdd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss"];
            if (DateTime.TryParseExact(s, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                && DateOnly.FromDateTime(d) is var day && day >= Rules.Evaluation.CaseParser.MinDate && day <= Rules.Evaluation.CaseParser.MaxDate)
            {
                return day;
            }

            errors.Add(new ImportCellError(cells[field].Header, Messages.Format("Import_CellNotDate", cells[field].Header)));
            return null;
        }

        int? Number(string field)
        {
            var s = Text(field);
            if (s is null)
            {
                return null;
            }

            if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }

            errors.Add(new ImportCellError(cells[field].Header, Messages.Format("Import_CellNotNumber", cells[field].Header)));
            return null;
        }

        bool? YesNo(string field)
        {
            var s = Text(field);
            switch (s?.ToUpperInvariant())
            {
                case null:
                    return null;
                case "TRUE" or "1" or "是" or "有" or "Y" or "YES":
                    return true;
                case "FALSE" or "0" or "否" or "无" or "N" or "NO":
                    return false;
                default:
                    errors.Add(new ImportCellError(cells[field].Header, Messages.Format("Field_OneOf", cells[field].Header, "是, 否")));
                    return null;
            }
        }

        Guid? Id(string field)
        {
            var s = Text(field);
            if (s is null)
            {
                return null;
            }

            if (Guid.TryParse(s, out var g))
            {
                return g;
            }

            errors.Add(new ImportCellError(cells[field].Header, Messages.Format("Import_CellNotId", cells[field].Header)));
            return null;
        }

        // Chinese words for the codes a person types most (the others are the code tables' codes, as in the API).
        var kind = Text("kind") switch
        {
            "到达" or "入住" or "招用" or "入驻" => ReportUseCases.Arrival,
            "离开" or "退租" or "解除劳动关系" => ReportUseCases.Departure,
            var k => k,
        };
        var sex = Text("sex") switch
        {
            "男" => "male",
            "女" => "female",
            var s => s,
        };
        var insurance = Text("socialInsurance")?.Split([';', '；', '、', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var person = new RecordInput
        {
            Name = Text("name"),
            Sex = sex,
            EthnicGroup = Text("ethnicGroup"),
            BirthDate = Date("birthDate"),
            IdNumber = Text("idNumber"),
            HukouDivision = Text("hukouDivision"),
            HukouAddress = Text("hukouAddress"),
            ResidenceDivision = Text("residenceDivision"),
            ResidenceAddress = Text("residenceAddress"),
            Workplace = Text("workplace"),
            Education = Text("education"),
            Employment = Text("employment"),
            SocialInsurance = insurance,
            MaritalStatus = Text("maritalStatus"),
            MarriageBirthCertificate = YesNo("marriageBirthCertificate"),
            ArrivedOn = Date("arrivedOn"),
            IntendedDays = Number("intendedDays"),
            Purpose = Text("purpose"),
            Lodging = Text("lodging"),
        };
        var request = new ReportRequest(null, kind, Text("occurredAt"), Id("roomId"), person);
        var empty = cells.Values.All(c => c.Value is null || string.IsNullOrWhiteSpace(Convert.ToString(c.Value, CultureInfo.InvariantCulture)));
        return new ImportRow(number, empty ? null : request, errors);
    }

    /// <summary>The column a field error of the single report names (<c>person.idNumber</c>), as the file's header says it.</summary>
    public static string ColumnOf(string errorField, IReadOnlyDictionary<string, string> headers)
    {
        ArgumentNullException.ThrowIfNull(errorField);
        ArgumentNullException.ThrowIfNull(headers);
        var field = errorField.StartsWith("person.", StringComparison.Ordinal) ? errorField["person.".Length..] : errorField;
        var bracket = field.IndexOfAny(['[', '.']);
        field = bracket > 0 ? field[..bracket] : field;
        foreach (var (header, f) in headers)
        {
            if (f == field)
            {
                return header;
            }
        }

        return Columns.Any(c => c.Field == field) ? ChineseHeaderOf(field) : field;
    }

    private static Dictionary<string, string> BuildHeaders()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, chinese) in Columns)
        {
            map[field.ToUpperInvariant()] = field;
            foreach (var c in chinese)
            {
                map[c] = field;
            }
        }

        return map;
    }
}
