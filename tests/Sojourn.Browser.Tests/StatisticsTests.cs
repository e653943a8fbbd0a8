using System.Globalization;

namespace Sojourn.Browser.Tests;

/// <summary>The analyst's statistics: counts over their divisions, small cells withheld.</summary>
public sealed class StatisticsTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [SkippableFact]
    public async Task Analyst_LandsOnStatistics_SmallCellsWithheld()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "demo-analyst");

        Assert.EndsWith("/stats", page.Url, StringComparison.Ordinal);
        await page.WaitForSelectorAsync("[data-testid=stats-table], [data-testid=stats-empty]");
        await BrowserApp.ShotAsync(page, nameof(Analyst_LandsOnStatistics_SmallCellsWithheld), "stats");
        await Axe.AssertCleanAsync(page);
        var shown = (await page.Locator("[data-testid=stats-count]").AllInnerTextsAsync())
            .Select(t => t.Trim()).Where(t => t.Length > 0 && t.All(char.IsAsciiDigit)).Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToList();
        // Every number on the page is at least the minimum cell size (5); smaller counts show only 「少于 5」.
        Assert.All(shown, n => Assert.True(n >= 5, $"a cell of {n} is shown"));
        Assert.True(await page.Locator("text=少于 5").CountAsync() + shown.Count > 0, "the table shows no cell at all");
    }
}
