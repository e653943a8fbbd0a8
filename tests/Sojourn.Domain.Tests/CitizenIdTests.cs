using Sojourn.Domain;

namespace Sojourn.Domain.Tests;

public class CitizenIdTests
{
    private static readonly DateOnly Today = new(2026, 11, 30);

    [Theory]
    [InlineData("11010519491231002X")]
    [InlineData("513101198201130014")]
    public void TryParse_ValidNumber_ReturnsTrue(string s)
    {
        Assert.True(CitizenId.TryParse(s, Today, out var id, out var error));
        Assert.Equal(CitizenIdError.None, error);
        Assert.Equal(s, id.Value);
    }

    [Fact]
    public void TryParse_RetiredCountyCode_ReturnsTrue()
    {
        // 440524 (潮阳) is no longer a current division code, but numbers issued under it stay valid.
        Assert.True(CitizenId.TryParse("440524188001010014", Today, out var id, out _));
        Assert.Equal("440524", id.DivisionCode.Value);
    }

    [Fact]
    public void TryParse_LowercaseX_NormalisesToUppercase()
    {
        Assert.True(CitizenId.TryParse(" 11010519491231002x ", Today, out var id, out _));
        Assert.Equal("11010519491231002X", id.Value);
    }

    [Theory]
    [InlineData(null, CitizenIdError.Empty)]
    [InlineData("", CitizenIdError.Empty)]
    [InlineData("   ", CitizenIdError.Empty)]
    [InlineData("1101051949123100", CitizenIdError.Format)]
    [InlineData("11010519491231002Y", CitizenIdError.Format)]
    [InlineData("1101051949123100X2", CitizenIdError.Format)]
    [InlineData("11010519491231002XX", CitizenIdError.Format)]
    [InlineData("110105194912310021", CitizenIdError.CheckCharacter)]
    [InlineData("110105194902310026", CitizenIdError.BirthDate)]
    [InlineData("160105194912310029", CitizenIdError.UnknownProvince)]
    public void TryParse_InvalidNumber_ReturnsError(string? s, CitizenIdError expected)
    {
        Assert.False(CitizenId.TryParse(s, Today, out var id, out var error));
        Assert.Equal(expected, error);
        Assert.True(id.IsEmpty);
    }

    [Fact]
    public void TryParse_BirthDateAfterToday_ReturnsFutureBirthDate()
    {
        var first17 = "11010520261201001";
        var s = first17 + CitizenId.ComputeCheckCharacter(first17);

        Assert.False(CitizenId.TryParse(s, Today, out _, out var error));
        Assert.Equal(CitizenIdError.FutureBirthDate, error);
    }

    [Fact]
    public void TryParse_BirthDateToday_ReturnsTrue()
    {
        var first17 = "11010520261130001";
        Assert.True(CitizenId.TryParse(first17 + CitizenId.ComputeCheckCharacter(first17), Today, out _, out _));
    }

    [Fact]
    public void TryParse_FifteenDigits_UpgradesToEighteen()
    {
        Assert.True(CitizenId.TryParse("110105491231002", Today, out var id, out _));
        Assert.Equal("11010519491231002X", id.Value);
    }

    [Fact]
    public void TryParse_FifteenDigitsImpossibleDate_ReturnsBirthDate()
    {
        Assert.False(CitizenId.TryParse("110105490231002", Today, out _, out var error));
        Assert.Equal(CitizenIdError.BirthDate, error);
    }

    [Fact]
    public void TryParse_TimeProvider_UsesItsDate()
    {
        var time = new FixedTime(new DateTimeOffset(1949, 12, 30, 12, 0, 0, TimeSpan.FromHours(8)));

        Assert.False(CitizenId.TryParse("11010519491231002X", time, out _, out var error));
        Assert.Equal(CitizenIdError.FutureBirthDate, error);
    }

    [Fact]
    public void Properties_ValidNumber_AreDerived()
    {
        var id = CitizenId.Parse("11010519491231002X", Today);

        Assert.Equal(new DateOnly(1949, 12, 31), id.BirthDate);
        Assert.Equal(Sex.Female, id.Sex);
        Assert.Equal("110105", id.DivisionCode.Value);
        Assert.Equal("110000", id.ProvinceCode.Value);
    }

    [Fact]
    public void Sex_OddSequence_IsMale()
    {
        Assert.Equal(Sex.Male, CitizenId.Parse("513101198201130014", Today).Sex);
    }

    [Fact]
    public void Masked_ValidNumber_ShowsFirstAndLastFour()
    {
        Assert.Equal("5131**********0014", CitizenId.Parse("513101198201130014", Today).Masked());
    }

    [Fact]
    public void ToString_ValidNumber_NeverContainsFullNumber()
    {
        var id = CitizenId.Parse("513101198201130014", Today);

        Assert.Equal(id.Masked(), id.ToString());
        Assert.DoesNotContain("19820113", $"{id}");
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatExceptionWithoutNumber()
    {
        var ex = Assert.Throws<FormatException>(() => CitizenId.Parse("110105194912310021", Today));

        Assert.Equal(CitizenId.Describe(CitizenIdError.CheckCharacter), ex.Message);
        Assert.DoesNotContain("110105", ex.Message);
    }

    [Fact]
    public void Describe_EveryError_HasChineseMessage()
    {
        foreach (var error in Enum.GetValues<CitizenIdError>())
        {
            Assert.Contains("公民身份号码", CitizenId.Describe(error));
        }
    }

    [Fact]
    public void Equals_SameNumberFromBothForms_AreEqual()
    {
        Assert.Equal(CitizenId.Parse("110105491231002", Today), CitizenId.Parse("11010519491231002x", Today));
    }

    [Theory]
    [InlineData("2026-12-30", 76)]
    [InlineData("2026-12-31", 77)]
    [InlineData("1949-12-31", 0)]
    [InlineData("1940-01-01", 0)]
    public void AgeOn_Date_CountsCompletedYears(string date, int expected)
    {
        var id = CitizenId.Parse("11010519491231002X", DateOnly.Parse("2027-01-01"));

        Assert.Equal(expected, id.AgeOn(DateOnly.Parse(date)));
    }

    [Theory]
    [InlineData("2025-02-28", 24)]
    [InlineData("2025-03-01", 25)]
    [InlineData("2028-02-29", 28)]
    public void AgeOn_LeapDayBirth_BirthdayOnFirstMarchInCommonYears(string date, int expected)
    {
        var first17 = "11010520000229001";
        var id = CitizenId.Parse(first17 + CitizenId.ComputeCheckCharacter(first17), Today);

        Assert.Equal(expected, id.AgeOn(DateOnly.Parse(date)));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.CreateCustomTimeZone("CST", TimeSpan.FromHours(8), "CST", "CST");
    }
}
