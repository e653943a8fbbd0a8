using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using Sojourn.Data;
using Sojourn.Data.Reporting;
using Sojourn.Domain;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Reporting;

/// <summary>Batch reports: a CSV or XLSX file stored as an import, processed in the background with the single report's rules.</summary>
public abstract class ReportImportApiTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    [SkippableFact]
    public async Task Upload_CsvWithGoodAndBadRows_SavesGoodRowsAndReturnsBadOnesWithRowColumnAndReason()
    {
        var (client, establishment, _) = await Factory.ReporterAsync(EstablishmentKind.Landlord, partyKind: "individual");
        var rows = ImportFiles.Arrivals(3, seed: 11);
        var badId = ImportFiles.Arrivals(1, seed: 12)[0];
        badId["公民身份号码"] = "140105199001011234"; // wrong check character
        var future = ImportFiles.Arrivals(1, seed: 13)[0];
        future["发生时间"] = "2026-07-01";
        var badDate = ImportFiles.Arrivals(1, seed: 14)[0];
        badDate["到达日期"] = "2026-13-45";
        var csv = ImportFiles.Csv([rows[0], badId, rows[1], future, badDate, rows[2]]);

        var import = await ImportFiles.UploadAndWaitAsync(client, establishment, csv, "tenants.csv");

        Assert.Equal("done", (string?)import["status"]);
        Assert.Equal(6, (int)import["total"]!);
        Assert.Equal(3, (int)import["accepted"]!);
        Assert.Equal(3, (int)import["rejected"]!);
        var rejected = await client.GetAsync($"{ImportFiles.Base}/{import["id"]}/rejected");
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        Assert.Equal("text/csv", rejected.Content.Headers.ContentType?.MediaType);
        var lines = (await rejected.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("行号,列,原因", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("3,公民身份号码,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("5,发生时间,发生时间不能晚于今天", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("6,到达日期,到达日期不是日期", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("2,", StringComparison.Ordinal) || l.StartsWith("4,", StringComparison.Ordinal) || l.StartsWith("7,", StringComparison.Ordinal));
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var id = Guid.Parse((string)import["id"]!);
        Assert.Equal(3, await db.ThirdPartyReports.CountAsync(r => r.ImportJobId == id));
        Assert.Equal(3, await db.ThirdPartyReports.CountAsync(r => r.EstablishmentId == establishment));
        // Nothing of a bad row: no report, no registration of the person whose arrival came in the future.
        var futureHmac = scope.ServiceProvider.GetRequiredService<Sojourn.Data.Security.IdentityProtector>().LookupHash((string)future["公民身份号码"]!);
        Assert.False(await db.Registrations.AnyAsync(r => r.PersonIdHmac == futureHmac));
        // The file is dropped once the import has ended (it held identity numbers).
        Assert.Null((await db.ReportImports.SingleAsync(i => i.Id == id)).Content);
    }

    [SkippableFact]
    public async Task Upload_Xlsx_ImportsItsRowsWithTheSameRules()
    {
        var (client, establishment, _) = await Factory.ReporterAsync(EstablishmentKind.Employer);
        var rows = ImportFiles.Arrivals(4, seed: 21);
        rows.ForEach(r => r["住所类型"] = "employer-dormitory"); // an employer has no lodging of its own to default to
        rows[3]["性别"] = "女"; // the identity number says male
        var xlsx = ImportFiles.Xlsx(rows);

        var import = await ImportFiles.UploadAndWaitAsync(client, establishment, xlsx, "hires.xlsx");

        Assert.Equal("xlsx", (string?)import["format"]);
        Assert.Equal(3, (int)import["accepted"]!);
        Assert.Equal(1, (int)import["rejected"]!);
        var csv = await client.GetStringAsync($"{ImportFiles.Base}/{import["id"]}/rejected");
        Assert.Contains("5,性别,性别与公民身份号码不一致", csv, StringComparison.Ordinal);
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        Assert.Equal(3, await db.ThirdPartyReports.CountAsync(r => r.EstablishmentId == establishment && r.DutyId == "employer.report-hire"));
    }

    [SkippableFact]
    public async Task Upload_SameFileTwice_ReturnsTheFirstImportAndCreatesNothingTwice()
    {
        var (client, establishment, account) = await Factory.ReporterAsync(EstablishmentKind.Landlord);
        var rows = ImportFiles.Arrivals(5, seed: 31);
        var csv = ImportFiles.Csv(rows);
        var first = await ImportFiles.UploadAndWaitAsync(client, establishment, csv, "a.csv");

        var again = await ImportFiles.UploadAsync(client, establishment, csv, "a-copy.csv");
        // The same rows in another file (one more row): only the new row is created.
        var more = await ImportFiles.UploadAndWaitAsync(client, establishment, ImportFiles.Csv([.. rows, .. ImportFiles.Arrivals(1, seed: 32)]), "b.csv");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var body = await ReportingScenario.JsonAsync(again);
        Assert.Equal((string?)first["id"], (string?)body["id"]);
        Assert.True((bool)body["existing"]!);
        Assert.Equal(1, (int)more["accepted"]!);
        Assert.Equal(5, (int)more["repeated"]!);
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        Assert.Equal(2, await db.ReportImports.CountAsync(i => i.EstablishmentId == establishment));
        Assert.Equal(6, await db.ThirdPartyReports.CountAsync(r => r.EstablishmentId == establishment));
        Assert.Equal(6, await db.Registrations.CountAsync(r => EF.Property<string>(r, SojournDbContext.DeclaredByProperty) == account.Id));
    }

    [SkippableFact]
    public async Task Upload_ArrivalThenDepartureInOneFile_EndsTheStay()
    {
        var (client, establishment, _) = await Factory.ReporterAsync(EstablishmentKind.Landlord);
        var arrival = ImportFiles.Arrivals(1, seed: 41)[0];
        var departure = new Dictionary<string, string> { ["报送类型"] = "离开", ["发生时间"] = "2026-06-12", ["公民身份号码"] = arrival["公民身份号码"] };

        var import = await ImportFiles.UploadAndWaitAsync(client, establishment, ImportFiles.Csv([arrival, departure]), "in-out.csv");

        Assert.Equal(2, (int)import["accepted"]!);
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var hmac = scope.ServiceProvider.GetRequiredService<Sojourn.Data.Security.IdentityProtector>().LookupHash(arrival["公民身份号码"]);
        var stay = await db.Registrations.SingleAsync(r => r.PersonIdHmac == hmac);
        Assert.Equal(new DateOnly(2026, 6, 12), stay.DepartedOn);
    }

    [SkippableFact]
    public async Task Upload_TwentyThousandRows_AllImportedAndCountedInTheDatabase()
    {
        var (client, establishment, _) = await Factory.ReporterAsync(EstablishmentKind.Employer);
        var rows = ImportFiles.Arrivals(20_000, seed: 51);
        rows.ForEach(r => r["lodging"] = "employer-dormitory"); // an English header beside the Chinese ones
        var csv = ImportFiles.Csv(rows);

        var import = await ImportFiles.UploadAndWaitAsync(client, establishment, csv, "big.csv", TimeSpan.FromMinutes(15));

        Assert.Equal("done", (string?)import["status"]);
        Assert.Equal(20_000, (int)import["processed"]!);
        Assert.Equal(20_000, (int)import["accepted"]!);
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        var id = Guid.Parse((string)import["id"]!);
        Assert.Equal(20_000, await db.ThirdPartyReports.CountAsync(r => r.ImportJobId == id));
    }

    [SkippableFact]
    public async Task Upload_ForAnotherReportersEstablishment_Returns403AndStoresNothing()
    {
        var (_, theirs, _) = await Factory.ReporterAsync(EstablishmentKind.Landlord);
        var (mine, own, _) = await Factory.ReporterAsync(EstablishmentKind.Landlord);
        var ownImport = await ImportFiles.UploadAndWaitAsync(mine, own, ImportFiles.Csv(ImportFiles.Arrivals(1, seed: 61)), "own.csv");
        var (other, _, _) = await Factory.ReporterAsync(EstablishmentKind.Landlord);

        var response = await ImportFiles.UploadAsync(mine, theirs, ImportFiles.Csv(ImportFiles.Arrivals(2, seed: 62)), "theirs.csv");
        var peek = await other.GetAsync($"{ImportFiles.Base}/{ownImport["id"]}");
        var peekRows = await other.GetAsync($"{ImportFiles.Base}/{ownImport["id"]}/rejected");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(71001, (int)(await ReportingScenario.JsonAsync(response))["errorCode"]!);
        Assert.Equal(HttpStatusCode.NotFound, peek.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, peekRows.StatusCode);
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        Assert.Equal(0, await db.ReportImports.CountAsync(i => i.EstablishmentId == theirs));
    }

    [SkippableFact]
    public async Task Upload_FileWithoutTheRequiredColumns_Returns400NamingThem()
    {
        var (client, establishment, _) = await Factory.ReporterAsync(EstablishmentKind.Landlord);

        var response = await ImportFiles.UploadAsync(client, establishment, Encoding.UTF8.GetBytes("姓名,电话\n张三,123\n"), "x.csv");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await ReportingScenario.JsonAsync(response);
        Assert.Equal(71002, (int)body["errorCode"]!);
        Assert.Contains("公民身份号码", (string?)body["detail"], StringComparison.Ordinal);
    }
}

public sealed class SqliteReportImportApiTests(SqliteAppFixture fixture)
    : ReportImportApiTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresReportImportApiTests(PostgresAppFixture fixture)
    : ReportImportApiTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;

/// <summary>Batch files for tests and the bench: arrival rows with Chinese headers, as CSV or XLSX.</summary>
public static class ImportFiles
{
    public const string Base = "/api/v1/reports/imports";

    /// <summary>
    /// <paramref name="count"/> valid arrivals on 2026-06-10 (before the tests' today): distinct persons born from
    /// 1960 on, distinct per <paramref name="seed"/>.
    /// </summary>
    public static List<Dictionary<string, string>> Arrivals(int count, int seed)
    {
        var list = new List<Dictionary<string, string>>(count);
        for (var i = 0; i < count; i++)
        {
            var n = (seed * 100_000) + i;
            var birth = new DateOnly(1960, 1, 1).AddDays(n % 14_000);
            var serial = ((n / 14_000) % 499 * 2) + 1;
            var first17 = "130102" + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + serial.ToString("D3", CultureInfo.InvariantCulture);
            list.Add(new Dictionary<string, string>
            {
                ["报送类型"] = "arrival",
                ["发生时间"] = "2026-06-10T20:00",
                ["姓名"] = "王小明",
                ["性别"] = "男",
                ["民族"] = "01",
                ["公民身份号码"] = first17 + CitizenId.ComputeCheckCharacter(first17),
                ["户籍地区划代码"] = "130102",
                ["户籍地址"] = "河北省石家庄市长安区建设北大街12号",
                ["服务处所"] = "太原市某建筑工程有限公司",
                ["受教育程度"] = "21",
                ["劳动就业"] = "employed",
                ["社会保险"] = "pension;medical",
                ["婚姻状况"] = "married",
                ["婚育证明"] = "是",
                ["到达日期"] = "2026-06-10",
                ["拟居住天数"] = "365",
                ["居住事由"] = "work",
            });
        }

        return list;
    }

    public static byte[] Csv(IReadOnlyList<Dictionary<string, string>> rows)
    {
        var headers = rows.SelectMany(r => r.Keys).Distinct().ToList();
        var text = new StringBuilder();
        text.AppendJoin(',', headers).Append('\n');
        foreach (var row in rows)
        {
            text.AppendJoin(',', headers.Select(h => row.GetValueOrDefault(h, ""))).Append('\n');
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    public static byte[] Xlsx(IReadOnlyList<Dictionary<string, string>> rows)
    {
        var headers = rows.SelectMany(r => r.Keys).Distinct().ToList();
        using var stream = new MemoryStream();
        stream.SaveAs(rows.Select(r => headers.ToDictionary(h => h, h => (object?)r.GetValueOrDefault(h))).ToList(), excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid establishmentId, byte[] content, string fileName)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(establishmentId.ToString()), "establishmentId" },
        };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".xlsx", StringComparison.Ordinal)
            ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv");
        form.Add(file, "file", fileName);
        return await client.PostAsync(Base, form);
    }

    /// <summary>Uploads and polls the import until it has ended, as the page does.</summary>
    public static async Task<JsonObject> UploadAndWaitAsync(HttpClient client, Guid establishmentId, byte[] content, string fileName, TimeSpan? timeout = null)
    {
        var response = await UploadAsync(client, establishmentId, content, fileName);
        Assert.True(response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var import = await ReportingScenario.JsonAsync(response);
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        while ((string?)import["status"] is "queued" or "running")
        {
            Assert.True(DateTime.UtcNow < until, "import did not end in time: " + import.ToJsonString());
            await Task.Delay(200);
            import = await ReportingScenario.JsonAsync(await client.GetAsync($"{Base}/{import["id"]}"));
        }

        return import;
    }
}
