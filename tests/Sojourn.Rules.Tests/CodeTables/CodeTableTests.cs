using Sojourn.Domain;

namespace Sojourn.Rules.Tests.CodeTables;

// The test namespace ends in CodeTables too; this alias makes the name mean the class.
using CodeTables = Sojourn.Rules.CodeTables;

public class CodeTableTests
{
    [Fact]
    public void EthnicGroups_Codes01To56_Are56Groups()
    {
        var groups = CodeTables.EthnicGroups.Entries.Where(e => int.Parse(e.Code) is >= 1 and <= 56).ToList();

        Assert.Equal(56, groups.Count);
        Assert.All(groups, g => Assert.EndsWith("族", g.Name));
        Assert.All(groups, g => Assert.Matches("^[A-Z]{2}$", g["letters"]));
        Assert.Equal(56, groups.Select(g => g["letters"]).Distinct().Count());
    }

    [Theory]
    [InlineData("01", "汉族")]
    [InlineData("10", "朝鲜族")]
    [InlineData("56", "基诺族")]
    [InlineData("97", "其他")]
    [InlineData("98", "外国血统中国籍人士")]
    public void EthnicGroups_NameOf_ReturnsName(string code, string name)
    {
        Assert.Equal(name, CodeTables.EthnicGroups.NameOf(code));
    }

    [Fact]
    public void EthnicGroups_Han_HasLettersAndRomanisation()
    {
        var han = CodeTables.EthnicGroups.FindByName("汉族")!;

        Assert.Equal(("01", "HA", "Han"), (han.Code, han["letters"], han["romanised"]));
    }

    [Theory]
    [InlineData("10", "研究生教育", null)]
    [InlineData("11", "博士研究生毕业", "10")]
    [InlineData("21", "大学本科毕业", "20")]
    [InlineData("28", "大学普通班毕业", "20")]
    [InlineData("90", "其他", null)]
    public void EducationLevels_Find_ReturnsNameAndParent(string code, string name, string? parent)
    {
        var entry = CodeTables.EducationLevels.Find(code)!;

        Assert.Equal((name, parent), (entry.Name, entry["parent"]));
    }

    [Fact]
    public void EducationLevels_EveryParent_IsACategory()
    {
        var table = CodeTables.EducationLevels;

        Assert.All(table.Entries.Where(e => e["parent"] is not null), e => Assert.True(table.Contains(e["parent"])));
    }

    [Fact]
    public void Sexes_Codes_MatchGbt2261()
    {
        Assert.Equal(["0", "1", "2", "9"], CodeTables.Sexes.Entries.Select(e => e.Code));
        Assert.Equal("男", CodeTables.Sexes.Find(((int)Sex.Male).ToString())!["short"]);
        Assert.Equal("女", CodeTables.Sexes.Find(((int)Sex.Female).ToString())!["short"]);
    }

    [Fact]
    public void Find_UnknownCode_ReturnsNull()
    {
        Assert.Null(CodeTables.EthnicGroups.Find("57"));
        Assert.False(CodeTables.Sexes.Contains(null));
    }
}
