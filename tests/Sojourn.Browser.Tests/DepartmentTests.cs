using System.Text.RegularExpressions;

namespace Sojourn.Browser.Tests;

/// <summary>A department's screen: its field view and the articles behind it, the purpose asked first, only its fields shown.</summary>
public sealed partial class DepartmentTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [SkippableFact]
    public async Task ADepartmentUserSeesOnlyItsFields()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "demo-health");
        await page.WaitForURLAsync("**/dept");
        await BrowserApp.WaitForInteractiveAsync(page);

        // Nothing personal is read before a purpose is stated: the dialog asks for one.
        await page.WaitForSelectorAsync("[data-testid=purpose-confirm]");
        await BrowserApp.ShotAsync(page, nameof(ADepartmentUserSeesOnlyItsFields), "1-purpose");
        await page.Locator("[data-testid=purpose-options] input[type=radio]").First.CheckAsync(new() { Force = true });
        await page.ClickAsync("[data-testid=purpose-confirm]");

        await page.WaitForSelectorAsync("[data-testid=records]");
        var view = await page.InnerTextAsync("[data-testid=field-view]");
        Assert.Contains("婚姻状况", await page.InnerTextAsync("[data-testid=fields-shown]"), StringComparison.Ordinal);
        Assert.Contains("工作单位", await page.InnerTextAsync("[data-testid=fields-hidden]"), StringComparison.Ordinal);
        Assert.Contains("第", await page.InnerTextAsync("[data-testid=view-basis]"), StringComparison.Ordinal); // the duty articles of the policy in force
        Assert.Contains("遮蔽", view, StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, nameof(ADepartmentUserSeesOnlyItsFields), "2-list");
        await Axe.AssertCleanAsync(page);

        // The identity numbers in the list are masked: no full 18-character number anywhere on the page.
        var ids = await page.Locator("[data-testid=row-id-number]").AllInnerTextsAsync();
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.Contains("*", id, StringComparison.Ordinal));
        Assert.DoesNotMatch(FullIdNumber(), await page.InnerTextAsync("#main"));

        Assert.Contains("小店区", await page.InnerTextAsync("[data-testid=view-jurisdiction]"), StringComparison.Ordinal);
        // Coded values in words: the residence is the GB/T 2260 name (小店区), never the bare six-digit code.
        var residences = await page.Locator("[data-testid=row-residence]").AllInnerTextsAsync();
        Assert.All(residences, r => Assert.Contains("小店区", r, StringComparison.Ordinal));
        Assert.All(residences, r => Assert.DoesNotMatch(BareCode(), r));

        await page.Locator("[data-testid=view-record]").First.ClickAsync();
        await page.WaitForSelectorAsync("[data-testid=record-detail]");
        // Allowed fields are there; fields outside the health view (workplace, employment, social insurance,
        // household address, education) are not, neither as a value nor as a label.
        Assert.Equal(1, await page.Locator("[data-testid=field-name]").CountAsync());
        Assert.Equal(1, await page.Locator("[data-testid=field-maritalStatus]").CountAsync());
        Assert.Equal(1, await page.Locator("[data-testid=field-residenceAddress]").CountAsync());
        Assert.Contains("*", await page.InnerTextAsync("[data-testid=field-idNumber]"), StringComparison.Ordinal);
        foreach (var hidden in new[] { "workplace", "employment", "socialInsurance", "hukouAddress", "education" })
        {
            Assert.Equal(0, await page.Locator($"[data-testid=field-{hidden}]").CountAsync());
        }

        var detail = await page.InnerTextAsync("[data-testid=record-detail]");
        Assert.DoesNotContain("工作单位", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("有限公司", detail, StringComparison.Ordinal); // a demo workplace
        Assert.DoesNotMatch(FullIdNumber(), detail);
        // Sex, marital status, residence in words (stored as female/married/140105).
        Assert.Matches("^[男女]$", (await page.InnerTextAsync("[data-testid=field-sex]")).Trim());
        Assert.Matches("^(未婚|已婚|离婚|丧偶)$", (await page.InnerTextAsync("[data-testid=field-maritalStatus]")).Trim());
        Assert.Contains("小店区", await page.InnerTextAsync("[data-testid=field-residenceDivision]"), StringComparison.Ordinal);
        Assert.DoesNotMatch(RawCodeWord(), detail);
        Assert.Contains("职责依据", await page.InnerTextAsync("[data-testid=record-basis]"), StringComparison.Ordinal);
        await BrowserApp.ShotAsync(page, nameof(ADepartmentUserSeesOnlyItsFields), "3-record");
        await Axe.AssertCleanAsync(page);
    }

    [SkippableFact]
    public async Task AnHrssUserSeesEmploymentAndEducationInWords()
    {
        Skip.If(app.SkipReason is not null, app.SkipReason);
        var page = await app.NewPageAsync();
        await app.SignInAsync(page, "demo-hrss");
        await page.WaitForURLAsync("**/dept");
        await BrowserApp.WaitForInteractiveAsync(page);
        await page.WaitForSelectorAsync("[data-testid=purpose-confirm]");
        await page.Locator("[data-testid=purpose-options] input[type=radio]").First.CheckAsync(new() { Force = true });
        await page.ClickAsync("[data-testid=purpose-confirm]");
        await page.WaitForSelectorAsync("[data-testid=records]");
        await page.Locator("[data-testid=view-record]").First.ClickAsync();
        await page.WaitForSelectorAsync("[data-testid=record-detail]");

        // Employment and social insurance are the form's codes (employed, pension), education GB/T 4658 (e.g. 20):
        // each is shown by its name.
        var employment = (await page.InnerTextAsync("[data-testid=field-employment]")).Trim();
        Assert.DoesNotMatch(RawCodeWord(), employment);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", employment);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}.*（\d+）", await page.InnerTextAsync("[data-testid=field-education]"));
        Assert.DoesNotMatch(RawCodeWord(), await page.InnerTextAsync("[data-testid=record-detail]"));
        await BrowserApp.ShotAsync(page, nameof(AnHrssUserSeesEmploymentAndEducationInWords), "1-record");
        await Axe.AssertCleanAsync(page);
    }

    [GeneratedRegex(@"^\s*\d{6}\s*$")]
    private static partial Regex BareCode();

    /// <summary>A stored code word of the form (female, family-visit, employer-dormitory) shown as is.</summary>
    [GeneratedRegex(@"\b[a-z]{3,}(-[a-z]+)*\b")]
    private static partial Regex RawCodeWord();

    [GeneratedRegex(@"\d{17}[\dX]")]
    private static partial Regex FullIdNumber();
}
