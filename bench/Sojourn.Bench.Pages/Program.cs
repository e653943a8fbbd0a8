using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using Sojourn.Browser.Tests.Infrastructure;

namespace Sojourn.Bench.Pages;


// Each role's first page after sign-in: from navigation start until the page is live (its circuit is up and the
// interactive marker rendered), median of N loads in a fresh tab. The floor, measured in the same run and browser:
// the same tab fetching a static file from the same server. Usage: dotnet run -c Release --project bench/Sojourn.Bench.Pages [-- --runs 7]
internal static class PageBench
{
    public static async Task<int> Main(string[] args)
    {
        var runs = args is ["--runs", var n, ..] ? int.Parse(n, CultureInfo.InvariantCulture) : 7;
        string[] accounts = ["demo-migrant", "demo-officer", "demo-chief", "demo-collector", "demo-health", "demo-admin", "demo-analyst", "demo-reporter"];

        var app = new BrowserApp();
        await app.InitializeAsync();
        if (app.SkipReason is not null)
        {
            Console.Error.WriteLine(app.SkipReason);
            return 2;
        }

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"# First page of each role ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, SQLite, demo data, {runs} loads each)");
        report.AppendLine();
        report.AppendLine("| account | landing page | median ms | max ms | floor (static file) median ms | ratio median/floor | under 1 s |");
        report.AppendLine("| --- | --- | --- | --- | --- | --- | --- |");
        try
        {
            foreach (var account in accounts)
            {
                var page = await app.NewPageAsync();
                await app.SignInAsync(page, account);
                var landing = new Uri(page.Url).AbsolutePath;
                var times = new List<double>();
                var floor = new List<double>();
                for (var i = 0; i < runs; i++)
                {
                    var clock = Stopwatch.StartNew();
                    await page.GotoAsync(landing);
                    await BrowserApp.WaitForInteractiveAsync(page);
                    times.Add(clock.Elapsed.TotalMilliseconds);

                    clock.Restart();
                    await page.EvaluateAsync("() => fetch('/css/app.css', { cache: 'no-store' }).then(r => r.text())");
                    floor.Add(clock.Elapsed.TotalMilliseconds);
                }

                times.Sort();
                floor.Sort();
                var median = times[times.Count / 2];
                var floorMedian = floor[floor.Count / 2];
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"| {account} | {landing} | {median:F0} | {times[^1]:F0} | {floorMedian:F1} | {median / floorMedian:F0} | {(median < 1000 ? "yes" : "NO")} |");
                await page.Context.CloseAsync();
            }
        }
        finally
        {
            await app.DisposeAsync();
        }

        Console.WriteLine(report.ToString());
        return 0;
    }
}
