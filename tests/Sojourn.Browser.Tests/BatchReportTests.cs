using System.Globalization;
using System.Text;
using Sojourn.Domain;

namespace Sojourn.Browser.Tests;

/// <summary>The reporter's batch page: upload a small file, watch the progress end, find the rejected rows.</summary>
public sealed class BatchReportTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [SkippableFact]
    public async Task TheReporterUploadsABatchAndSeesItsProgressAndRejectedRows()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "demo-reporter");
        await page.GotoAsync("/report/batch");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.WaitForSelectorAsync("[data-testid=template-header]");
        await BrowserApp.ShotAsync(page, nameof(TheReporterUploadsABatchAndSeesItsProgressAndRejectedRows), "1-empty");
        await Axe.AssertCleanAsync(page);

        var file = Path.Combine(Path.GetTempPath(), $"batch-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, Csv(), new UTF8Encoding(true));
        await page.SetInputFilesAsync("input[type=file]", file);
        await page.WaitForSelectorAsync("[data-testid=import][data-status=done]", new() { Timeout = 120_000 });

        Assert.Equal("2", (await page.InnerTextAsync("[data-testid=import-accepted]")).Trim());
        Assert.Equal("1", (await page.InnerTextAsync("[data-testid=import-rejected]")).Trim());
        Assert.Equal("已完成", (await page.InnerTextAsync("[data-testid=import-status]")).Trim());
        var link = await page.GetAttributeAsync("[data-testid=rejected-link]", "href");
        Assert.Matches("^/api/v1/reports/imports/[0-9a-f-]+/rejected$", link);
        var rejected = await page.APIRequest.GetAsync(link!);
        Assert.Contains("3,公民身份号码,", await rejected.TextAsync(), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, nameof(TheReporterUploadsABatchAndSeesItsProgressAndRejectedRows), "2-done");
        await Axe.AssertCleanAsync(page);

        // After a reload the import is still listed with its counts.
        await page.ReloadAsync();
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.WaitForSelectorAsync("[data-testid=import][data-status=done]");
        Assert.Equal("2", (await page.InnerTextAsync("[data-testid=import-accepted]")).Trim());
        File.Delete(file);
    }

    private static string Csv()
    {
        var text = new StringBuilder("报送类型,发生时间,姓名,民族,公民身份号码,户籍地区划代码,户籍地址,受教育程度,劳动就业,婚姻状况,到达日期,拟居住天数,居住事由,住所类型\n");
        for (var i = 0; i < 3; i++)
        {
            var first17 = "130102" + new DateOnly(1985, 3, 1).AddDays(i).ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "123";
            var id = first17 + (i == 1 ? (CitizenId.ComputeCheckCharacter(first17) == 'X' ? '0' : 'X') : CitizenId.ComputeCheckCharacter(first17));
            text.Append(CultureInfo.InvariantCulture, $"到达,2026-06-10,王小明,01,{id},130102,河北省石家庄市长安区建设北大街12号,21,employed,married,2026-06-10,365,work,employer-dormitory\n");
        }

        return text.ToString();
    }
}
