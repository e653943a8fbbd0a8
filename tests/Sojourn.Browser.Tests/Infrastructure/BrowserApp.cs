using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Sojourn.Web.Access;
using Sojourn.Web.Access.Accounts;
using Xunit;

namespace Sojourn.Browser.Tests.Infrastructure;

/// <summary>
/// The real application on a free loopback port (Kestrel, port 0) over a fresh SQLite database with the demo data,
/// and Debian's Chromium (/usr/bin/chromium, never a downloaded browser) driven by Playwright. One per test class.
/// Without Chromium the tests skip with the install command; in CI (CI=true) a missing browser fails them.
/// </summary>
#pragma warning disable CA1001 // Disposed in DisposeAsync (xunit's IAsyncLifetime), as the bench does too.
public sealed class BrowserApp : IAsyncLifetime
#pragma warning restore CA1001
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string Password = AccountSeeder.DemoPassword;

    private readonly string _dbFile = Path.Combine(Path.GetTempPath(), $"sojourn-browser-{Guid.NewGuid():N}.db");
    private readonly string _auditDir = Path.Combine(Path.GetTempPath(), "sojourn-browser-audit-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, long> _lastStep = [];
    private readonly SemaphoreSlim _codes = new(1, 1);
    private WebApplicationFactory<Program>? _factory;
    private IPlaywright? _playwright;

    public string? SkipReason { get; private set; }

    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser { get; private set; } = default!;

    public IServiceProvider Services => _factory!.Services;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"{ChromiumPath} is missing: .ci/run installs Debian's chromium.");
            }

            SkipReason = $"Chromium is not installed ({ChromiumPath}): apt-get install chromium";
            return;
        }

        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.UseContentRoot(WebProjectDirectory());
            // A free loopback port: never the app's default 5080 (something else may hold it).
            b.UseSetting("urls", "http://127.0.0.1:0");
            b.UseSetting("Sojourn:Database:Provider", "sqlite");
            b.UseSetting("ConnectionStrings:Sojourn", $"Data Source={_dbFile};Default Timeout=60");
            b.UseSetting("Sojourn:Seed:Demo", "true");
            b.UseSetting("Sojourn:Access:SignInsPerMinute", "1000");
            b.UseSetting("Sojourn:Access:IdLookupsPerMinute", "1000");
            b.UseSetting("Sojourn:Permits:Sweep:IntervalMinutes", "0");
            b.UseSetting("Sojourn:Reminders:IntervalMinutes", "0");
            b.UseSetting("Sojourn:Audit:SigningKeyFile", Path.Combine(_auditDir, "signing.key"));
            b.UseSetting("Sojourn:Audit:CheckpointFile", Path.Combine(_auditDir, "checkpoints.jsonl"));
            b.UseSetting("Sojourn:Audit:SealIntervalMilliseconds", "200");
        });
        _factory.UseKestrel(0);
        _factory.StartServer();
        BaseUrl = _factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        await WarmUpAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // This machine's network is closed: no background connections, no sandbox as root.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>
    /// Asks the cold server once for what every first page needs (the sign-in form, Blazor's script, the font), so
    /// that a test's own first page does not pay for the JIT and the first read of the 10 MB font.
    /// </summary>
    private async Task WarmUpAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(120) };
        foreach (var path in new[] { "/account/sign-in", "/_framework/blazor.web.js", "/fonts/NotoSansSC-Regular.ttf", "/policies" })
        {
            using var response = await http.GetAsync(path);
            response.EnsureSuccessStatusCode();
            await response.Content.LoadIntoBufferAsync();
        }
    }

    /// <summary>src/Sojourn.Web of the checkout this was built from (the app's content root: appsettings, wwwroot).</summary>
    private static string WebProjectDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sojourn.slnx")))
            {
                return Path.Combine(dir.FullName, "src", "Sojourn.Web");
            }
        }

        throw new DirectoryNotFoundException("Sojourn.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A fresh browser context (its own cookies and storage): desktop, or a 375 px phone.</summary>
    public async Task<IPage> NewPageAsync(bool phone = false, string locale = "zh-CN")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            Locale = locale,
            ViewportSize = phone ? new ViewportSize { Width = 375, Height = 780 } : new ViewportSize { Width = 1280, Height = 900 },
            IsMobile = phone,
            HasTouch = phone,
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Signs a demo account in through the form (password, and for officials a one-time code no earlier sign-in of
    /// this app used: each code works once, and the app accepts the previous, current and next 30-second step).
    /// </summary>
    public async Task SignInAsync(IPage page, string userName)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/account/sign-in");
        await page.FillAsync("#userName", userName);
        await page.FillAsync("#password", Password);
        if (NeedsCode(userName))
        {
            await page.FillAsync("#totp", await FreshCodeAsync(userName));
        }

        await page.ClickAsync("button[type=submit]");
        try
        {
            // The navigation away from the form, not its load event: "load" also waits for the 10 MB CJK font, which a
            // cold server on a loaded two-core CI machine may take longer to send than a test should wait.
            await page.WaitForURLAsync(url => !url.Contains("/account/sign-in", StringComparison.Ordinal),
                new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit, Timeout = SlowTimeout });
        }
        catch (TimeoutException e)
        {
            // Still on the form: say why (the form's own message), not only that the wait ran out.
            var error = await page.Locator(".signin-error").AllInnerTextsAsync();
            throw new TimeoutException($"{userName} not signed in after {SlowTimeout} ms at {page.Url}: " +
                (error.Count > 0 ? string.Join(" ", error) : "no error shown on the form"), e);
        }

        await WaitForInteractiveAsync(page);
    }

    /// <summary>The first request of a cold server (JIT, first Razor render, first query) on a busy CI machine.</summary>
    private const float SlowTimeout = 60_000;

    /// <summary>Waits until the page's circuit is up (Blazor's interactive render replaced the pre-render).</summary>
    public static async Task WaitForInteractiveAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined && document.querySelector('[data-interactive]') !== null", null,
            new PageWaitForFunctionOptions { Timeout = SlowTimeout });
    }

    /// <summary>States the third common purpose in the dialog a station page opens, and waits for it to close.</summary>
    public static async Task StatePurposeAsync(IPage page)
    {
        await page.Locator("[data-testid=purpose-options]").WaitForAsync();
        await page.Locator(".purpose-option").Nth(2).Locator("label").First.ClickAsync();
        await page.ClickAsync("[data-testid=purpose-confirm]");
        await page.Locator("[data-testid=purpose-options]").WaitForAsync(new() { State = WaitForSelectorState.Hidden });
    }

    /// <summary>Saves a full-page screenshot under the test output (screenshots/{test}/{step}.png).</summary>
    public static async Task ShotAsync(IPage page, string test, string step)
    {
        ArgumentNullException.ThrowIfNull(page);
        var dir = Path.Combine(AppContext.BaseDirectory, "screenshots", test);
        Directory.CreateDirectory(dir);
        await page.EvaluateAsync("() => document.fonts.ready");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, step + ".png"), FullPage = true });
    }

    private static bool NeedsCode(string userName) =>
        userName is "demo-officer" or "demo-chief" or "demo-health" or "demo-hrss" or "demo-education" or "demo-civil" or "demo-housing" or "demo-justice";

    /// <summary>A code of a later 30-second step than this account last used (the app refuses a step again or older).</summary>
    private async Task<string> FreshCodeAsync(string userName)
    {
        await _codes.WaitAsync();
        try
        {
            while (true)
            {
                var seconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                var now = seconds / 30;
                var last = _lastStep.GetValueOrDefault(userName, long.MinValue);
                // The previous step's code is refused once the server's clock reaches the next step: use it only with
                // 15 s of this step left, so that a slow form submission cannot carry it past its validity.
                long[] steps = seconds % 30 < 15 ? [now - 1, now, now + 1] : [now, now + 1];
                foreach (var step in steps)
                {
                    if (step > last)
                    {
                        _lastStep[userName] = step;
                        return Web.Tests.Infrastructure.Totp.Code(AccountSeeder.DemoTotpSecret, DateTimeOffset.FromUnixTimeSeconds(step * 30));
                    }
                }

                await Task.Delay(TimeSpan.FromSeconds(5));
            }
        }
        finally
        {
            _codes.Release();
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        _codes.Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_dbFile + suffix);
        }
    }
}
