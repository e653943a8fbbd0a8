using Sojourn.Domain;

namespace Sojourn.Domain.Tests;

public class DivisionCodeTests
{
    [Theory]
    [InlineData("140000", DivisionLevel.Province)]
    [InlineData("140100", DivisionLevel.Prefecture)]
    [InlineData("140105", DivisionLevel.County)]
    public void Level_Code_DerivedFromTrailingZeros(string s, DivisionLevel expected)
    {
        Assert.Equal(expected, DivisionCode.Parse(s).Level);
    }

    [Fact]
    public void ProvinceAndPrefectureCode_County_AreDerived()
    {
        var code = DivisionCode.Parse("140105");

        Assert.Equal("140000", code.ProvinceCode.Value);
        Assert.Equal("140100", code.PrefectureCode.Value);
        Assert.Equal(14, code.ProvincePrefix);
    }

    [Theory]
    [InlineData("130171", true)]
    [InlineData("140105", false)]
    public void IsDevelopmentZone_FifthDigitSeven_IsTrue(string s, bool expected)
    {
        Assert.Equal(expected, DivisionCode.Parse(s).IsDevelopmentZone);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("14010")]
    [InlineData("1401051")]
    [InlineData("14010a")]
    [InlineData("１４０１０５")]
    public void TryParse_NotSixAsciiDigits_ReturnsFalse(string? s)
    {
        Assert.False(DivisionCode.TryParse(s, out var code));
        Assert.True(code.IsEmpty);
    }

    [Fact]
    public void HasKnownProvince_Prefix16_IsFalse()
    {
        Assert.False(DivisionCode.Parse("160105").HasKnownProvince);
        Assert.True(DivisionCode.Parse("820000").HasKnownProvince);
    }

    [Fact]
    public void ProvinceCodes_All_Has34()
    {
        Assert.Equal(34, ProvinceCodes.All.Count);
    }

    [Fact]
    public void Level_Default_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => default(DivisionCode).Level);
    }

    [Fact]
    public void SameProvince_SamePrefix_IsTrue()
    {
        Assert.True(DivisionCode.Parse("140105").SameProvince(DivisionCode.Parse("140121")));
        Assert.False(DivisionCode.Parse("140105").SameProvince(DivisionCode.Parse("110105")));
    }
}
