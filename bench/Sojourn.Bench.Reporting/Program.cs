using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Sojourn.Bench.Registration.Generation;
using Sojourn.Bench.Registration.Infrastructure;

// usage: dotnet run -c Release --project bench/Sojourn.Bench.Reporting -- [--rows 100000] [--xlsx] [--quick] [--app-dll PATH] [--seed 20261206]
var options = ImportBenchOptions.Parse(args);
if (options is null)
{
    Console.WriteLine(ImportBenchOptions.Usage);
    return 2;
}

var loadAtStart = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
var china = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, china));
Console.WriteLine($"rows {options.Rows:N0}, format {options.Format}, load average at start: {loadAtStart}");

// The file: synthetic arrivals from the bench's one generator (valid GB 11643 numbers, real GB/T 2260 hukou
// counties), reported by the demo building company in 太原市小店区 (140105). The residence columns are left out, so
// each row takes the establishment's own address and division (the single report's default); people whose hukou is
// that same county are skipped (they would not be floating population there). Arrivals lie before today.
var generation = Stopwatch.StartNew();
var people = new PeopleGenerator(new GeneratorOptions(options.Seed, today.AddDays(-1), "14"))
    .Generate().Where(p => p.HukouDivision != Establishment.Division).Take(options.Rows).ToList();
var content = options.Format == "xlsx" ? ImportFile.Xlsx(people) : ImportFile.Csv(people);
Console.WriteLine($"generated {people.Count:N0} arrivals ({content.Length / 1024.0 / 1024.0:F1} MiB {options.Format}) in {generation.Elapsed.TotalSeconds:F1} s");

await using var cluster = await PostgresCluster.StartAsync(50, CancellationToken.None);
await cluster.CreateDatabaseAsync("bench", CancellationToken.None);
var connection = cluster.ConnectionString("bench");
Console.WriteLine($"PostgreSQL {cluster.Version} at {cluster.Root}");

ImportFigures figures;
var dll = options.AppDll ?? WebAppProcess.DefaultDllPath();
await using (var app = await WebAppProcess.StartAsync(dll, connection,
                 Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
                 new Dictionary<string, string>(), CancellationToken.None))
{
    using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
    await Api.SignInAsync(http, "demo-reporter");
    var establishment = await Api.EmployerAsync(http);
    figures = await Api.ImportAsync(http, establishment, content, "bench." + options.Format, options.Rows);
    if (app.HasExited)
    {
        throw new InvalidOperationException("Sojourn.Web exited during the import:\n" + app.OutputSinceStartup);
    }
}

Console.WriteLine($"import: {figures.Accepted:N0} accepted, {figures.Rejected:N0} rejected, {figures.Repeated:N0} repeated in {figures.Seconds:F1} s "
    + $"= {figures.RowsPerSecond:N0} rows/s (upload answered in {figures.UploadSeconds:F1} s; first progress after {figures.FirstProgressSeconds:F1} s)");
var ceiling = await Ceiling.MeasureAsync(connection, figures.ImportId);
Console.WriteLine($"ceiling: binary COPY of the same rows into empty copies of the tables ({ceiling.Describe()}) in {ceiling.Seconds:F2} s "
    + $"= {ceiling.RowsPerSecond(figures.Accepted):N0} rows/s");
var ratio = figures.RowsPerSecond / Math.Max(ceiling.RowsPerSecond(figures.Accepted), 1);
var loadAtEnd = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
Console.WriteLine($"import / COPY = {ratio:F3} (1 / {1 / Math.Max(ratio, 1e-9):F0}); load average at start {loadAtStart}, at end {loadAtEnd}");

var report = Report.Markdown(options, figures, ceiling, ratio, loadAtStart, loadAtEnd, dll);
var results = Path.Combine(BuildInfoPaths.RepoRoot, "bench", "results");
Directory.CreateDirectory(results);
var path = Path.Combine(results, $"reporting-import-{DateTime.UtcNow:yyyy-MM-dd-HHmm}.md");
await File.WriteAllTextAsync(path, report);
Console.WriteLine($"report: {path}");
return figures.Accepted == options.Rows && figures.Rejected == 0 ? 0 : 1;

/// <summary>The command line.</summary>
internal sealed record ImportBenchOptions(int Rows, string Format, int Seed, string? AppDll, bool Quick)
{
    public const string Usage = """
        用法 / usage:
          dotnet run -c Release --project bench/Sojourn.Bench.Reporting -- [--rows N] [--xlsx] [--seed S] [--app-dll PATH]
          dotnet run -c Release --project bench/Sojourn.Bench.Reporting -- --quick        # 冒烟 / smoke: 2,000 rows
        --rows N        行数 / rows in the file (default 100000)
        --xlsx          上传 XLSX 而非 CSV / upload an XLSX file instead of CSV
        --seed S        生成器种子 / generator seed (default 20261206)
        --app-dll PATH  要运行的 Sojourn.Web.dll（默认为一同构建的）/ the Sojourn.Web.dll to run (default: the one built beside the bench)
        """;

    public static ImportBenchOptions? Parse(string[] args)
    {
        var o = new ImportBenchOptions(100_000, "csv", 20261206, null, false);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--rows":
                    o = o with { Rows = int.Parse(Next(), CultureInfo.InvariantCulture) };
                    break;
                case "--xlsx":
                    o = o with { Format = "xlsx" };
                    break;
                case "--seed":
                    o = o with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) };
                    break;
                case "--app-dll":
                    o = o with { AppDll = Path.GetFullPath(Next()) };
                    break;
                case "--quick":
                    o = o with { Rows = 2_000, Quick = true };
                    break;
                default:
                    return null;
            }
        }

        return o.Rows > 0 ? o : null;
    }
}

/// <summary>The demo establishment the file is reported for (ReportingDemoSeeder: the building company in 小店区).</summary>
internal static class Establishment
{
    public const string Division = "140105";
}

/// <summary>The batch file, with the Chinese headers of docs/reporting-batch.md.</summary>
internal static class ImportFile
{
    private static readonly string[] Headers =
    [
        "报送类型", "发生时间", "姓名", "性别", "民族", "出生日期", "公民身份号码", "户籍地区划代码", "户籍地址", "服务处所", "受教育程度",
        "劳动就业", "社会保险", "婚姻状况", "婚育证明", "到达日期", "拟居住天数", "居住事由", "住所类型",
    ];

    private static string[] Cells(SyntheticPerson p) =>
    [
        "arrival", Day(p.ArrivedOn) + "T20:00", p.Name, p.Sex == "male" ? "男" : "女", p.EthnicGroup, Day(p.BirthDate), p.IdNumber, p.HukouDivision,
        p.HukouAddress, p.Workplace ?? "", p.Education, p.Employment, string.Join(';', p.SocialInsurance), p.MaritalStatus,
        p.MarriageBirthCertificate ? "是" : "否", Day(p.ArrivedOn), p.IntendedDays.ToString(CultureInfo.InvariantCulture), p.Purpose, p.Lodging,
    ];

    public static byte[] Csv(IReadOnlyList<SyntheticPerson> people)
    {
        var text = new StringBuilder(people.Count * 260);
        text.AppendJoin(',', Headers).Append("\r\n");
        foreach (var p in people)
        {
            text.AppendJoin(',', Cells(p).Select(Quote)).Append("\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    public static byte[] Xlsx(IReadOnlyList<SyntheticPerson> people)
    {
        using var stream = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(stream, people.Select(p =>
        {
            var cells = Cells(p);
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < Headers.Length; i++)
            {
                row[Headers[i]] = cells[i];
            }

            return row;
        }).ToList(), excelType: MiniExcelLibs.ExcelType.XLSX);
        return stream.ToArray();
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Quote(string v) => v.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
}

/// <summary>What the import took, measured from the upload's first byte to the import's status <c>done</c>.</summary>
internal sealed record ImportFigures(
    Guid ImportId, int Processed, int Accepted, int Rejected, int Repeated, double Seconds, double UploadSeconds, double FirstProgressSeconds,
    IReadOnlyList<(double Seconds, int Processed)> Progress, string? FirstRejections)
{
    public double RowsPerSecond => Processed / Math.Max(Seconds, 1e-9);
}

/// <summary>The app's API as the reporter's page uses it.</summary>
internal static class Api
{
    private const string DemoPassword = "Sojourn-Demo-2026";

    public static async Task SignInAsync(HttpClient http, string userName)
    {
        using var response = await http.PostAsync("api/v1/auth/sign-in", Json(new JsonObject { ["userName"] = userName, ["password"] = DemoPassword }));
        var body = await BodyAsync(response, "sign-in");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)body["token"]!);
    }

    public static async Task<Guid> EmployerAsync(HttpClient http)
    {
        using var response = await http.GetAsync("api/v1/reports/establishments");
        var list = (JsonArray)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var employer = list.First(e => (string?)e!["kind"] == "employer" && (string?)e["divisionCode"] == Establishment.Division)!;
        return Guid.Parse((string)employer["id"]!);
    }

    public static async Task<ImportFigures> ImportAsync(HttpClient http, Guid establishment, byte[] content, string fileName, int rows)
    {
        var watch = Stopwatch.StartNew();
        using var form = new MultipartFormDataContent { { new StringContent(establishment.ToString()), "establishmentId" } };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".xlsx", StringComparison.Ordinal)
            ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv");
        form.Add(file, "file", fileName);
        using var upload = await http.PostAsync("api/v1/reports/imports", form);
        var import = await BodyAsync(upload, "upload");
        var uploadSeconds = watch.Elapsed.TotalSeconds;
        var id = Guid.Parse((string)import["id"]!);
        var progress = new List<(double, int)>();
        var firstProgress = 0.0;
        var lastShown = -1;
        while ((string?)import["status"] is "queued" or "running")
        {
            await Task.Delay(500);
            using var poll = await http.GetAsync($"api/v1/reports/imports/{id}");
            import = await BodyAsync(poll, "poll");
            var processed = (int)import["processed"]!;
            var at = watch.Elapsed.TotalSeconds;
            if (processed > 0 && firstProgress == 0)
            {
                firstProgress = at;
            }

            progress.Add((at, processed));
            // Progress as the page shows it, about every tenth of the file.
            if (processed * 10L / rows > lastShown)
            {
                lastShown = (int)(processed * 10L / rows);
                Console.WriteLine($"  {at,7:F1} s  {processed,9:N0} / {rows:N0}  ({processed / Math.Max(at, 1e-9):N0} rows/s so far)");
            }
        }

        var seconds = watch.Elapsed.TotalSeconds;
        string? rejections = null;
        if ((int)import["rejected"]! > 0)
        {
            using var rejected = await http.GetAsync($"api/v1/reports/imports/{id}/rejected");
            var csv = await rejected.Content.ReadAsStringAsync();
            rejections = string.Join('\n', csv.Split('\n').Take(6));
            Console.Error.WriteLine("rejected rows (first five):\n" + rejections);
        }

        if ((string?)import["status"] != "done")
        {
            throw new InvalidOperationException("import ended as " + import.ToJsonString());
        }

        return new ImportFigures(id, (int)import["processed"]!, (int)import["accepted"]!, (int)import["rejected"]!, (int)import["repeated"]!,
            seconds, uploadSeconds, firstProgress, progress, rejections);
    }

    private static ByteArrayContent Json(JsonNode node)
    {
        var c = new ByteArrayContent(Encoding.UTF8.GetBytes(node.ToJsonString()));
        c.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return c;
    }

    private static async Task<JsonObject> BodyAsync(HttpResponseMessage response, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {text}");
        }

        return JsonNode.Parse(text)!.AsObject();
    }
}

/// <summary>
/// The ceiling, in the same run on the same database: the rows the import wrote (its reports, the registrations and
/// versions they created, the audit entries of the import) are read out with binary COPY, then written again by binary
/// COPY, one table after another on one connection, into empty copies (<c>LIKE … INCLUDING ALL</c>: same columns,
/// defaults and indexes; no foreign keys). Only the writing is timed: it is what PostgreSQL alone needs to store what
/// the import stored, with no parsing, validation, lookups, rules engine, encryption or audit chaining.
/// </summary>
internal sealed record Ceiling(IReadOnlyList<(string Table, long Rows, long Bytes)> Tables, double Seconds)
{
    private static readonly (string Table, string Where)[] Sources =
    [
        ("ThirdPartyReports", "\"ImportJobId\" = @id"),
        ("Registrations", "\"Id\" IN (SELECT \"RegistrationId\" FROM \"ThirdPartyReports\" WHERE \"ImportJobId\" = @id)"),
        ("RegistrationVersions", "\"RegistrationId\" IN (SELECT \"RegistrationId\" FROM \"ThirdPartyReports\" WHERE \"ImportJobId\" = @id)"),
        ("AuditEntries", "\"Operation\" = 'ImportReports'"),
    ];

    public double RowsPerSecond(int reports) => reports / Math.Max(Seconds, 1e-9);

    public string Describe() => string.Join(", ", Tables.Select(t => $"{t.Table} {t.Rows:N0}"));

    public static async Task<Ceiling> MeasureAsync(string connectionString, Guid importId)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var data = new List<(string Table, long Rows, byte[] Bytes)>();
        foreach (var (table, where) in Sources)
        {
            var sql = $"SELECT * FROM \"{table}\" WHERE {where.Replace("@id", $"'{importId}'", StringComparison.Ordinal)}";
            long rows;
            await using (var count = new NpgsqlCommand($"SELECT count(*) FROM ({sql}) s", conn))
            {
                rows = (long)(await count.ExecuteScalarAsync())!;
            }

            using var buffer = new MemoryStream();
            await using (var copyOut = await conn.BeginRawBinaryCopyAsync($"COPY ({sql}) TO STDOUT (FORMAT BINARY)"))
            {
                await copyOut.CopyToAsync(buffer);
            }

            await using (var create = new NpgsqlCommand($"CREATE TABLE \"ceiling_{table}\" (LIKE \"{table}\" INCLUDING ALL)", conn))
            {
                await create.ExecuteNonQueryAsync();
            }

            data.Add((table, rows, buffer.ToArray()));
        }

        var watch = Stopwatch.StartNew();
        foreach (var (table, _, bytes) in data)
        {
            await using var copyIn = await conn.BeginRawBinaryCopyAsync($"COPY \"ceiling_{table}\" FROM STDIN (FORMAT BINARY)");
            await copyIn.WriteAsync(bytes);
        }

        watch.Stop();
        return new Ceiling([.. data.Select(d => (d.Table, d.Rows, (long)d.Bytes.Length))], watch.Elapsed.TotalSeconds);
    }
}

internal static class BuildInfoPaths
{
    public static string RepoRoot => Sojourn.Bench.Registration.BuildInfo.RepoRoot;
}

internal static class Report
{
    public static string Markdown(
        ImportBenchOptions o, ImportFigures f, Ceiling c, double ratio, string loadStart, string loadEnd, string dll)
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"# 批量报送导入 / Batch report import — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"Command: `dotnet run -c {Sojourn.Bench.Registration.BuildInfo.Configuration} --project bench/Sojourn.Bench.Reporting -- --rows {o.Rows}{(o.Format == "xlsx" ? " --xlsx" : "")}{(o.Quick ? " (--quick)" : "")}`  ");
        s.AppendLine(CultureInfo.InvariantCulture, $"App: `{dll}` ({Environment.ProcessorCount} cores). Load average at start `{loadStart}`, at end `{loadEnd}`.");
        s.AppendLine();
        s.AppendLine("| phase | rows | seconds | rows/s |");
        s.AppendLine("|---|---|---|---|");
        s.AppendLine(CultureInfo.InvariantCulture, $"| import through the app (upload → done; {o.Format}) | {f.Processed:N0} ({f.Accepted:N0} accepted, {f.Rejected:N0} rejected, {f.Repeated:N0} repeated) | {f.Seconds:F1} | {f.RowsPerSecond:N0} |");
        s.AppendLine(CultureInfo.InvariantCulture, $"| ceiling: binary COPY of the same rows ({c.Describe()}) | {f.Accepted:N0} | {c.Seconds:F2} | {c.RowsPerSecond(f.Accepted):N0} |");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"import / COPY = **{ratio:F3}**. Upload answered in {f.UploadSeconds:F1} s; first progress after {f.FirstProgressSeconds:F1} s.");
        s.AppendLine();
        s.AppendLine("Progress as polled (seconds, rows processed):");
        s.AppendLine();
        foreach (var (at, n) in f.Progress.Where((_, i) => i % Math.Max(1, f.Progress.Count / 20) == 0 || i == f.Progress.Count - 1))
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"- {at:F1} s: {n:N0}");
        }

        if (f.FirstRejections is not null)
        {
            s.AppendLine().AppendLine("First rejected rows:").AppendLine().AppendLine("```").AppendLine(f.FirstRejections).AppendLine("```");
        }

        return s.ToString();
    }
}
