using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;

namespace Sojourn.Browser.Tests.Infrastructure;

/// <summary>The accessibility check every page passes: axe-core finds no serious or critical violation.</summary>
public static class Axe
{
    public static async Task AssertCleanAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var result = await page.RunAxe();
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(bad.Count == 0, $"axe on {page.Url}: " + string.Join("; ", bad.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))}")));
    }
}
