using Sojourn.Domain;
using Sojourn.Rules.Divisions;

namespace Sojourn.Rules.Tests.CodeTables;

public class DivisionTableTests
{
    private static readonly DivisionTable Table = DivisionTable.Default;

    [Fact]
    public void Find_XiaodianDistrict_LinksToTaiyuanAndShanxi()
    {
        var district = Table.Find("140105")!;
        var city = Table.Find(district.ParentCode!)!;
        var province = Table.Find(city.ParentCode!)!;

        Assert.Equal(("小店区", DivisionLevel.County), (district.Name, district.Level));
        Assert.Equal(("140100", "太原市", DivisionLevel.Prefecture), (city.Code, city.Name, city.Level));
        Assert.Equal(("140000", "山西省", DivisionLevel.Province), (province.Code, province.Name, province.Level));
        Assert.Null(province.ParentCode);
    }

    [Theory]
    [InlineData("140105", "山西省太原市小店区")]
    [InlineData("110101", "北京市东城区")]
    [InlineData("429004", "湖北省仙桃市")]
    [InlineData("140000", "山西省")]
    public void FullName_Division_JoinsAncestors(string code, string expected)
    {
        Assert.Equal(expected, Table.Find(code)!.FullName);
    }

    [Fact]
    public void Find_DevelopmentZone_IsExcluded()
    {
        Assert.Null(Table.Find("130171"));
        Assert.DoesNotContain(Table.All, d => d.Level == DivisionLevel.County && d.Code[4] == '7');
    }

    [Fact]
    public void Counts_CurrentTable_MatchNationalTotals()
    {
        // 34 province-level units (incl. 台湾, 香港, 澳门) and 333 prefecture-level units.
        Assert.Equal(34, Table.All.Count(d => d.Level == DivisionLevel.Province));
        Assert.Equal(333, Table.All.Count(d => d.Level == DivisionLevel.Prefecture));
        Assert.InRange(Table.All.Count(d => d.Level == DivisionLevel.County), 2840, 2850);
    }

    [Fact]
    public void Find_MunicipalityPseudoPrefecture_IsAbsent()
    {
        Assert.Null(Table.Find("110100"));
        Assert.Equal("110000", Table.Find("110105")!.ParentCode);
        Assert.Equal("500000", Table.Find("500235")!.ParentCode);
    }

    [Theory]
    [InlineData("140105", DivisionStatus.Known)]
    [InlineData("140000", DivisionStatus.Known)]
    [InlineData("440524", DivisionStatus.UnknownOrRetired)]
    [InlineData("130171", DivisionStatus.UnknownOrRetired)]
    [InlineData("160105", DivisionStatus.Invalid)]
    [InlineData("14010", DivisionStatus.Invalid)]
    [InlineData("14010x", DivisionStatus.Invalid)]
    [InlineData(null, DivisionStatus.Invalid)]
    public void Check_Code_ReturnsStatus(string? code, DivisionStatus expected)
    {
        Assert.Equal(expected, Table.Check(code));
    }

    [Theory]
    [InlineData("太原")]
    [InlineData("太原市")]
    public void FindByName_WithOrWithoutSuffix_FindsTaiyuan(string name)
    {
        var found = Assert.Single(Table.FindByName(name));
        Assert.Equal("140100", found.Code);
    }

    [Theory]
    [InlineData("山西", "140000")]
    [InlineData("新疆", "650000")]
    [InlineData("内蒙古", "150000")]
    [InlineData("西藏", "540000")]
    [InlineData("恩施", "422800")]
    [InlineData("伊犁", "654000")]
    [InlineData("石柱", "500240")]
    public void FindByName_ShortName_FindsDivision(string name, string code)
    {
        Assert.Contains(Table.FindByName(name), d => d.Code == code);
    }

    [Fact]
    public void FindByName_AmbiguousName_ReturnsAllOrderedByCode()
    {
        var found = Table.FindByName("朝阳");

        Assert.True(found.Count >= 3);
        Assert.Equal(found.OrderBy(d => d.Code, StringComparer.Ordinal), found);
    }

    [Fact]
    public void FindByName_Unknown_ReturnsEmpty()
    {
        Assert.Empty(Table.FindByName("不存在的地方"));
        Assert.Empty(Table.FindByName(null));
    }

    [Theory]
    [InlineData("140105", true)]
    [InlineData("140109", true)]
    [InlineData("110105", true)]
    [InlineData("140121", false)]
    [InlineData("140181", false)]
    [InlineData("520203", false)]
    [InlineData("429021", false)]
    [InlineData("140100", false)]
    public void IsUrbanDistrict_Division_FollowsRule(string code, bool expected)
    {
        Assert.Equal(expected, Table.Find(code)!.IsUrbanDistrict);
    }

    [Fact]
    public void Province_RetiredCounty_ReturnsProvince()
    {
        Assert.Equal("广东省", Table.Province("440524")!.Name);
        Assert.Null(Table.Province("160105"));
    }

    [Theory]
    [InlineData("140105", "140100")]
    [InlineData("140100", "140100")]
    [InlineData("440524", "440500")]
    [InlineData("110105", "110000")]
    [InlineData("500235", "500000")]
    [InlineData("429004", null)]
    [InlineData("140000", null)]
    public void Prefecture_Code_ReturnsPrefectureLevelUnit(string code, string? expected)
    {
        Assert.Equal(expected, Table.Prefecture(code)?.Code);
    }

    [Theory]
    [InlineData("140105", "140121", true)]
    [InlineData("140105", "140202", false)]
    [InlineData("110101", "110229", true)]
    [InlineData("500101", "500235", true)]
    [InlineData("429004", "429004", true)]
    [InlineData("429004", "429005", false)]
    [InlineData("440524", "440511", true)]
    [InlineData("bad", "bad", false)]
    public void SamePrefecture_Codes_ComparesPrefectures(string a, string b, bool expected)
    {
        Assert.Equal(expected, Table.SamePrefecture(a, b));
    }

    [Theory]
    [InlineData("140105", "140105", true)]
    [InlineData("440524", "440524", true)]
    [InlineData("140105", "140106", false)]
    [InlineData("140100", "140100", false)]
    public void SameCounty_Codes_ComparesCounties(string a, string b, bool expected)
    {
        Assert.Equal(expected, DivisionTable.SameCounty(a, b));
    }

    [Fact]
    public void Children_Taiyuan_ListsItsCounties()
    {
        Assert.Contains(Table.Children("140100"), d => d.Code == "140121");
    }

    [Fact]
    public void Parse_RowWithMissingParent_Throws()
    {
        var csv = "code,name,level,parent,isUrbanDistrict\n140105,小店区,3,140100,true\n";

        Assert.Throws<InvalidDataException>(() => DivisionTable.Parse(new StringReader(csv)));
    }

    [Fact]
    public void Find_Lookup_DoesNotAllocate()
    {
        var code = "140105";
        Table.Find(code);
        Table.Prefecture(code);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Table.Find(code);
            Table.Prefecture(code);
            Table.Check(code);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
