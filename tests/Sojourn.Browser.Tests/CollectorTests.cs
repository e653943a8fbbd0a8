using System.Globalization;
using System.Text.Json;
using Sojourn.Domain;

namespace Sojourn.Browser.Tests;

/// <summary>
/// The community collector's quick capture (/collect) on a phone: captures taken while offline are kept encrypted in
/// the browser and sent once when the connection returns; identity numbers are checked as typed, as the server does.
/// </summary>
public sealed class CollectorTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string Waiting = "[data-testid=cap-waiting]";

    [SkippableFact]
    public async Task Collector_CapturesOffline_SentOnceWhenBackOnline()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(Collector_CapturesOffline_SentOnceWhenBackOnline);
        var page = await OpenAsync();
        await BrowserApp.ShotAsync(page, test, "1-empty");
        await Axe.AssertCleanAsync(page);

        var idNumber = NewIdNumber(new DateOnly(1990, 5, 17), Random.Shared.Next(100, 999));
        var name = "离线" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);

        // A dropped connection also takes the page's circuit down (the browser's offline switch leaves an open
        // WebSocket alone, so pause the circuit as a lost connection would): the form must not need it.
        await page.EvaluateAsync("() => Blazor.pauseCircuit()");
        await page.WaitForSelectorAsync("[data-testid=reconnect-banner].components-reconnect-paused");
        await page.Context.SetOfflineAsync(true);
        await page.WaitForSelectorAsync("[data-testid=cap-net].cap-offline");
        await FillAsync(page, name, idNumber, "410105");
        await page.ClickAsync("[data-testid=cap-save]");
        await page.WaitForSelectorAsync(Waiting + "[data-count='1']");
        Assert.Equal("pending", await page.GetAttributeAsync("[data-testid=cap-item]", "data-status"));
        Assert.Contains(name, await page.InnerTextAsync("[data-testid=cap-item]"), StringComparison.Ordinal);
        // Kept sealed: the stored record holds no readable name or number.
        var stored = await page.EvaluateAsync<string>(
            "() => new Promise(r => { const q = indexedDB.open('sojourn-collector'); q.onsuccess = () => { const g = q.result.transaction('captures').objectStore('captures').getAll(); g.onsuccess = () => r(JSON.stringify(g.result.map(x => Object.keys(x).sort().join(',') + ':' + (x.data instanceof ArrayBuffer)))); }; })");
        Assert.Contains("createdAt,data,id,iv,owner,status,updatedAt:true", stored, StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "2-offline-waiting");
        await Axe.AssertCleanAsync(page);

        await page.Context.SetOfflineAsync(false);
        await page.WaitForSelectorAsync("[data-testid=cap-item][data-status=sent]", new() { Timeout = 45_000 });
        await page.WaitForSelectorAsync(Waiting + "[data-count='0']");
        await BrowserApp.ShotAsync(page, test, "3-sent");

        // Send again every way the page can: the button, the 'online' event, and the same request replayed.
        await page.ClickAsync("[data-testid=cap-sync]");
        await page.EvaluateAsync("() => { window.dispatchEvent(new Event('online')); return window.sojournCollector.sync(); }");
        var replay = await page.EvaluateAsync<JsonElement>("""
            async () => {
                const [c] = await window.sojournCollector.list();
                const r = await fetch('/api/v1/registrations', { method: 'POST', credentials: 'same-origin',
                    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': c.id }, body: JSON.stringify(c.content.body) });
                const body = await r.json();
                return { status: r.status, replayed: r.headers.get('Idempotent-Replayed'), id: body.id, first: c.content.result.id };
            }
            """);
        Assert.Equal(201, replay.GetProperty("status").GetInt32());
        Assert.Equal("true", replay.GetProperty("replayed").GetString());
        Assert.Equal(replay.GetProperty("first").GetString(), replay.GetProperty("id").GetString());

        // Exactly one registration for the number, through the API with the page's sign-in cookie.
        var found = await page.EvaluateAsync<JsonElement>("""
            async id => {
                const r = await fetch('/api/v1/registrations/search', { method: 'POST', credentials: 'same-origin',
                    headers: { 'Content-Type': 'application/json', 'X-Sojourn-Purpose': 'registration-review' }, body: JSON.stringify({ idNumber: id }) });
                return { status: r.status, items: await r.json() };
            }
            """, idNumber);
        Assert.Equal(200, found.GetProperty("status").GetInt32());
        Assert.Equal(1, found.GetProperty("items").GetArrayLength());

        // And in the page's server list, once a purpose is stated (a reload brings a new circuit; the device's list stays).
        await page.ReloadAsync();
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.WaitForSelectorAsync("[data-testid=cap-item][data-status=sent]");
        await page.ClickAsync("[data-testid=recent-state-purpose]");
        await page.ClickAsync("text=居住登记审核");
        await page.ClickAsync("[data-testid=purpose-confirm]");
        await page.WaitForSelectorAsync("[data-testid=recent-item]");
        Assert.Equal(1, await page.Locator("[data-testid=recent-item]", new() { HasTextString = name }).CountAsync());
        Assert.Equal(1, await page.Locator("[data-testid=cap-item]").CountAsync());
        await BrowserApp.ShotAsync(page, test, "4-server-list");
        await Axe.AssertCleanAsync(page);
    }

    [SkippableFact]
    public async Task Collector_OpensOffline_FromServiceWorker_CaptureSentOnce()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(Collector_OpensOffline_FromServiceWorker_CaptureSentOnce);
        var page = await OpenAsync();
        await WaitForOfflineCopyAsync(page);

        // No connection at all, and the page reloaded: the service worker serves the offline copy, without a circuit.
        await page.Context.SetOfflineAsync(true);
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("[data-testid=cap-offline-shell]");
        await page.WaitForSelectorAsync(Waiting + "[data-count='0']");
        Assert.EndsWith("/collect", page.Url, StringComparison.Ordinal);
        Assert.Equal("快速采集（离线）", (await page.InnerTextAsync("h1")).Trim());
        Assert.Equal(0, await page.EvaluateAsync<int>("() => document.querySelectorAll('[data-interactive]').length"));
        await page.WaitForSelectorAsync("[data-testid=cap-net].cap-offline");
        // The Chinese text is drawn with the cached CJK font, not a box per character.
        Assert.True(await page.EvaluateAsync<bool>(
            "async () => { await document.fonts.load('16px \"Noto Sans SC\"', '快速采集'); return [...document.fonts].some(f => f.family.includes('Noto Sans SC') && f.status === 'loaded'); }"));
        await BrowserApp.ShotAsync(page, test, "1-offline-copy");
        await Axe.AssertCleanAsync(page);

        var idNumber = NewIdNumber(new DateOnly(1993, 7, 21), Random.Shared.Next(100, 999));
        var name = "断网" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        // The identity number is checked as typed here too.
        await page.FillAsync("[data-testid=cap-idNumber]", idNumber[..17] + (idNumber[17] == '0' ? '1' : '0'));
        await page.WaitForSelectorAsync("[data-testid=cap-idNumber-error]:has-text('校验码')");
        await FillAsync(page, name, idNumber, "410105");
        await page.SelectOptionAsync("[data-testid=cap-residenceDivision]", "140105");
        await page.ClickAsync("[data-testid=cap-save]");
        await page.WaitForSelectorAsync(Waiting + "[data-count='1']");
        Assert.Contains(name, await page.InnerTextAsync("[data-testid=cap-item]"), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, test, "2-offline-waiting");

        // The service worker's cache holds only the static files, never a page, an API answer or a capture.
        var cached = await page.EvaluateAsync<string[]>(
            "async () => { const out = []; for (const n of await caches.keys()) { for (const r of await (await caches.open(n)).keys()) { out.push(new URL(r.url).pathname); } } return out; }");
        Assert.Equal(
            ["/collect-offline.html", "/css/collector-offline.css", "/css/collector.css", "/fonts/NotoSansSC-Regular.ttf", "/js/collector-offline.js", "/js/collector.js"],
            cached.Order(StringComparer.Ordinal).ToArray());

        await page.Context.SetOfflineAsync(false);
        await page.WaitForSelectorAsync("[data-testid=cap-item][data-status=sent]", new() { Timeout = 45_000 });
        await page.WaitForSelectorAsync(Waiting + "[data-count='0']");
        await page.EvaluateAsync("() => window.sojournCollector.sync()");
        Assert.Equal(1, await SearchCountAsync(page, idNumber));
        await BrowserApp.ShotAsync(page, test, "3-sent");

        // Online again, /collect is the live page once more.
        await page.ReloadAsync();
        await BrowserApp.WaitForInteractiveAsync(page);
        Assert.Equal(0, await page.Locator("[data-testid=cap-offline-shell]").CountAsync());
    }

    [SkippableFact]
    public async Task Collector_AccompanyingChildren_TravelInOfflineCapture_AndAreSaved()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(Collector_AccompanyingChildren_TravelInOfflineCapture_AndAreSaved);
        var page = await OpenAsync();
        await page.EvaluateAsync("() => Blazor.pauseCircuit()");
        await page.WaitForSelectorAsync("[data-testid=reconnect-banner].components-reconnect-paused");
        await page.Context.SetOfflineAsync(true);
        await page.WaitForSelectorAsync("[data-testid=cap-net].cap-offline");

        var idNumber = NewIdNumber(new DateOnly(1987, 4, 12), Random.Shared.Next(100, 999));
        var name = "带子" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        await FillAsync(page, name, idNumber, "410105");

        // The first child with an identity number, checked as typed; sex and birth date are read from it.
        var childId = NewIdNumber(new DateOnly(2018, 3, 4), 215);
        await page.ClickAsync("[data-testid=cap-child-add]");
        await page.FillAsync("[data-testid=cap-children-0-name]", name + "子");
        await page.FillAsync("[data-testid=cap-children-0-idNumber]", childId[..17] + (childId[17] == '0' ? '1' : '0'));
        await page.WaitForSelectorAsync("[data-testid=cap-children-0-idNumber-error]:has-text('校验码')");
        await page.FillAsync("[data-testid=cap-children-0-idNumber]", childId);
        await page.WaitForSelectorAsync("[data-testid=cap-children-0-idNumber-ok]:has-text('2018年3月4日')");
        Assert.Equal("male", await page.InputValueAsync("[data-testid=cap-children-0-sex]"));
        Assert.Equal("2018-03-04", await page.InputValueAsync("[data-testid=cap-children-0-birthDate]"));

        // The second without one: name, sex and birth date are required, and saving without them saves nothing.
        await page.ClickAsync("[data-testid=cap-child-add]");
        await page.ClickAsync("[data-testid=cap-save]");
        await page.WaitForSelectorAsync("[data-testid=cap-children-1-name-error]:has-text('子女姓名')");
        Assert.Equal("0", await page.GetAttributeAsync(Waiting, "data-count"));
        await page.FillAsync("[data-testid=cap-children-1-name]", name + "女");
        await page.SelectOptionAsync("[data-testid=cap-children-1-sex]", "female");
        await page.FillAsync("[data-testid=cap-children-1-birthDate]", "2021-06-01");
        await BrowserApp.ShotAsync(page, test, "1-children");
        await Axe.AssertCleanAsync(page);
        await page.ClickAsync("[data-testid=cap-save]");
        await page.WaitForSelectorAsync(Waiting + "[data-count='1']");
        Assert.Equal(0, await page.Locator("[data-testid=cap-child]").CountAsync());
        var queued = await page.EvaluateAsync<JsonElement>("async () => (await window.sojournCollector.list())[0].content.body.children");
        Assert.Equal(2, queued.GetArrayLength());
        Assert.Equal(childId, queued[0].GetProperty("idNumber").GetString());

        await page.Context.SetOfflineAsync(false);
        await page.WaitForSelectorAsync("[data-testid=cap-item][data-status=sent]", new() { Timeout = 45_000 });
        var saved = await page.EvaluateAsync<JsonElement>("""
            async () => {
                const [c] = await window.sojournCollector.list();
                const r = await fetch('/api/v1/registrations/' + c.content.result.id, { credentials: 'same-origin',
                    headers: { 'Accept': 'application/json', 'X-Sojourn-Purpose': 'registration-review' } });
                return { status: r.status, body: await r.json() };
            }
            """);
        Assert.Equal(200, saved.GetProperty("status").GetInt32());
        var children = saved.GetProperty("body").GetProperty("record").GetProperty("children");
        Assert.Equal(2, children.GetArrayLength());
        var byName = children.EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal("2018-03-04", byName[name + "子"].GetProperty("birthDate").GetString());
        Assert.Equal("male", byName[name + "子"].GetProperty("sex").GetString());
        Assert.Equal("2021-06-01", byName[name + "女"].GetProperty("birthDate").GetString());
        Assert.Equal("female", byName[name + "女"].GetProperty("sex").GetString());
        Assert.Equal(1, await SearchCountAsync(page, idNumber));
        await BrowserApp.ShotAsync(page, test, "2-sent");
    }

    /// <summary>Waits until the collector page's service worker is active and has cached the offline copy.</summary>
    private static async Task WaitForOfflineCopyAsync(IPage page)
    {
        for (var i = 0; i < 120; i++)
        {
            if (await page.EvaluateAsync<bool>(
                    "async () => { const r = await navigator.serviceWorker.getRegistration('/collect'); return !!(r && r.active && await caches.match('/fonts/NotoSansSC-Regular.ttf') && await caches.match('/collect-offline.html')); }"))
            {
                return;
            }

            await Task.Delay(500);
        }

        Assert.Fail("The collector's service worker did not cache the offline copy within 60 s.");
    }

    /// <summary>How many registrations the API finds for the number (with the page's sign-in cookie).</summary>
    private static async Task<int> SearchCountAsync(IPage page, string idNumber)
    {
        var found = await page.EvaluateAsync<JsonElement>("""
            async id => {
                const r = await fetch('/api/v1/registrations/search', { method: 'POST', credentials: 'same-origin',
                    headers: { 'Content-Type': 'application/json', 'X-Sojourn-Purpose': 'registration-review' }, body: JSON.stringify({ idNumber: id }) });
                return { status: r.status, items: await r.json() };
            }
            """, idNumber);
        Assert.Equal(200, found.GetProperty("status").GetInt32());
        return found.GetProperty("items").GetArrayLength();
    }

    [SkippableFact]
    public async Task Collector_InvalidIdNumber_FlaggedAsTyped()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(Collector_InvalidIdNumber_FlaggedAsTyped);
        var page = await OpenAsync();
        var valid = NewIdNumber(new DateOnly(1988, 3, 9), 123);
        var wrongCheck = valid[..17] + (valid[17] == '0' ? '1' : '0');

        await page.FillAsync("[data-testid=cap-idNumber]", wrongCheck);
        await page.WaitForSelectorAsync("[data-testid=cap-idNumber-error]:has-text('校验码')");
        Assert.Equal("true", await page.GetAttributeAsync("[data-testid=cap-idNumber]", "aria-invalid"));
        await BrowserApp.ShotAsync(page, test, "1-wrong-check");
        await Axe.AssertCleanAsync(page);

        // As typed: half a number is a format error; the whole valid one clears it and reads sex and birth date.
        await page.FillAsync("[data-testid=cap-idNumber]", "");
        await page.Locator("[data-testid=cap-idNumber]").PressSequentiallyAsync(valid[..10]);
        await page.WaitForSelectorAsync("[data-testid=cap-idNumber-error]:has-text('18位')");
        await page.Locator("[data-testid=cap-idNumber]").PressSequentiallyAsync(valid[10..]);
        await page.WaitForSelectorAsync("[data-testid=cap-idNumber-ok]:has-text('1988年3月9日')");
        Assert.Equal("", (await page.InnerTextAsync("[data-testid=cap-idNumber-error]")).Trim());
        Assert.Null(await page.GetAttributeAsync("[data-testid=cap-idNumber]", "aria-invalid"));

        // Saving with errors saves nothing and says why.
        await page.FillAsync("[data-testid=cap-idNumber]", wrongCheck);
        await page.ClickAsync("[data-testid=cap-save]");
        await page.WaitForSelectorAsync("[data-testid=cap-summary]:has-text('改正')");
        Assert.Equal("0", await page.GetAttributeAsync(Waiting, "data-count"));
        await BrowserApp.ShotAsync(page, test, "2-save-refused");
    }

    [SkippableFact]
    public async Task Collector_IdCheck_ScriptAgreesWithDomain()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        var page = await OpenAsync();
        var today = new DateOnly(2026, 12, 6);
        string[] numbers =
        [
            NewIdNumber(new DateOnly(1990, 5, 17), 201),
            NewIdNumber(new DateOnly(1990, 5, 17), 201)[..17] + "0",
            NewIdNumber(new DateOnly(1990, 5, 17), 201)[..17] + "X",
            NewIdNumber(new DateOnly(2000, 2, 29), 318),
            WithCheck("140105" + "19990229" + "318"),
            WithCheck("990105" + "19900517" + "201"),
            WithCheck("140105" + "20270101" + "201"),
            WithCheck("140105" + "17990101" + "201"),
            WithCheck("140105" + "19901301" + "201"),
            "140105900517201",
            "14010519900517201",
            "14010519900517201A",
            "",
            "   ",
            Lower(FindWithX()),
        ];

        foreach (var number in numbers)
        {
            var js = await page.EvaluateAsync<JsonElement>("([s, t]) => window.sojournCollector.checkId(s, t)", new[] { number, "2026-12-06" });
            CitizenId.TryParse(number, today, out var id, out var error);
            Assert.True(error.ToString() == js.GetProperty("error").GetString(), $"{number}: domain {error}, script {js.GetProperty("error").GetString()}");
            if (error == CitizenIdError.None)
            {
                Assert.Equal(id.Value, js.GetProperty("value").GetString());
                Assert.Equal(id.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), js.GetProperty("birthDate").GetString());
                Assert.Equal(id.Sex == Sex.Male ? "male" : "female", js.GetProperty("sex").GetString());
            }
        }
    }

    [SkippableFact]
    public async Task Collector_RefusedCapture_ShowsFieldProblem_CorrectedAndSent()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        const string test = nameof(Collector_RefusedCapture_ShowsFieldProblem_CorrectedAndSent);
        var page = await OpenAsync();
        var idNumber = NewIdNumber(new DateOnly(1985, 11, 2), Random.Shared.Next(100, 999));
        var name = "退回" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);

        // A division code of the right shape that does not exist: only the server knows, and refuses it.
        await FillAsync(page, name, idNumber, "149999");
        await page.ClickAsync("[data-testid=cap-save]");
        await page.WaitForSelectorAsync("[data-testid=cap-item][data-status=refused]");
        var problem = await page.InnerTextAsync("[data-testid=cap-problem] li[data-field=hukouDivision]");
        Assert.Contains("户籍地行政区划", problem, StringComparison.Ordinal);
        Assert.Equal("0", await page.GetAttributeAsync(Waiting, "data-count"));
        await BrowserApp.ShotAsync(page, test, "1-refused");
        await Axe.AssertCleanAsync(page);

        // Not resent as is: a sync leaves it refused.
        await page.EvaluateAsync("() => window.sojournCollector.sync()");
        Assert.Equal("refused", await page.GetAttributeAsync("[data-testid=cap-item]", "data-status"));

        await page.ClickAsync("[data-testid=cap-item-edit]");
        Assert.Equal(name, await page.InputValueAsync("[data-testid=cap-name]"));
        Assert.Contains("户籍地行政区划", await page.InnerTextAsync("[data-testid=cap-hukouDivision-error]"), StringComparison.Ordinal);
        await page.FillAsync("[data-testid=cap-hukouDivision]", "410105");
        await page.ClickAsync("[data-testid=cap-save]");
        await page.WaitForSelectorAsync("[data-testid=cap-item][data-status=sent]");
        Assert.Equal(1, await page.Locator("[data-testid=cap-item]").CountAsync());
        await BrowserApp.ShotAsync(page, test, "2-corrected-sent");
    }

    [SkippableFact]
    public async Task Collector_InEnglish_SaysSoAndFlagsTheNumber()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        var page = await OpenAsync("en");
        Assert.Equal("Quick capture", (await page.InnerTextAsync("h1")).Trim());
        var wrong = NewIdNumber(new DateOnly(1991, 1, 2), 456);
        await page.FillAsync("[data-testid=cap-idNumber]", wrong[..17] + (wrong[17] == '5' ? '6' : '5'));
        await page.WaitForSelectorAsync("[data-testid=cap-idNumber-error]:has-text('check character')");
        await BrowserApp.ShotAsync(page, nameof(Collector_InEnglish_SaysSoAndFlagsTheNumber), "english");
        await Axe.AssertCleanAsync(page);
    }

    private async Task<IPage> OpenAsync(string locale = "zh-CN")
    {
        var page = await app.NewPageAsync(phone: true, locale: locale);
        await app.SignInAsync(page, "demo-collector");
        if (!page.Url.EndsWith("/collect", StringComparison.Ordinal))
        {
            await page.GotoAsync("/collect");
            await BrowserApp.WaitForInteractiveAsync(page);
        }

        // The script has opened its store and drawn the list.
        await page.WaitForSelectorAsync(Waiting + "[data-count]");
        return page;
    }

    private static async Task FillAsync(IPage page, string name, string idNumber, string hukouDivision)
    {
        await page.FillAsync("[data-testid=cap-name]", name);
        await page.FillAsync("[data-testid=cap-idNumber]", idNumber);
        await page.FillAsync("[data-testid=cap-hukouDivision]", hukouDivision);
        await page.FillAsync("[data-testid=cap-hukouAddress]", "河南省郑州市金水区花园路8号");
        await page.FillAsync("[data-testid=cap-residenceAddress]", "太原市小店区亲贤北街" + Random.Shared.Next(1, 999).ToString(CultureInfo.InvariantCulture) + "号");
        await page.FillAsync("[data-testid=cap-workplace]", "太原市小店区某餐馆");
        await page.SelectOptionAsync("[data-testid=cap-education]", "21");
        await page.SelectOptionAsync("[data-testid=cap-employment]", "employed");
        await page.CheckAsync("[data-testid=cap-insurance-medical]");
        await page.SelectOptionAsync("[data-testid=cap-maritalStatus]", "married");
        await page.FillAsync("[data-testid=cap-intendedDays]", "180");
        await page.SelectOptionAsync("[data-testid=cap-purpose]", "work");
        await page.SelectOptionAsync("[data-testid=cap-lodging]", "rental");
        await page.FillAsync("[data-testid=cap-declarantName]", "韩梅");
    }

    private static string NewIdNumber(DateOnly birth, int serial) =>
        WithCheck("140105" + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + serial.ToString("D3", CultureInfo.InvariantCulture));

    private static string WithCheck(string first17) => first17 + CitizenId.ComputeCheckCharacter(first17);

    private static string FindWithX()
    {
        for (var serial = 100; ; serial++)
        {
            var id = NewIdNumber(new DateOnly(1979, 8, 1), serial);
            if (id[17] == 'X')
            {
                return id;
            }
        }
    }

    private static string Lower(string s) => s.ToLowerInvariant();
}
