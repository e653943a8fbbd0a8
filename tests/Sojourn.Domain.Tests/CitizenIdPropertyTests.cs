using CsCheck;
using Sojourn.Domain;

namespace Sojourn.Domain.Tests;

public class CitizenIdPropertyTests
{
    private static readonly DateOnly Today = new(2026, 11, 30);

    // Valid numbers: known province, any 4 digits, a real date 1900..today, any sequence, correct check char.
    private static readonly Gen<string> ValidNumber =
        from province in Gen.OneOfConst(ProvinceCodes.All.ToArray())
        from rest in Gen.Int[0, 9999]
        from days in Gen.Int[0, Today.DayNumber - new DateOnly(1900, 1, 1).DayNumber]
        from seq in Gen.Int[0, 999]
        select Build(province, rest, DateOnly.FromDayNumber(new DateOnly(1900, 1, 1).DayNumber + days), seq);

    [Fact]
    public void TryParse_GeneratedValidNumber_RoundTrips()
    {
        ValidNumber.Sample(s =>
        {
            Assert.True(CitizenId.TryParse(s, Today, out var id, out var error), error.ToString());
            Assert.Equal(s, id.Value);
            Assert.Equal(s.Substring(6, 8), id.BirthDate.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture));
        });
    }

    [Fact]
    public void TryParse_AnySingleDigitChange_Fails()
    {
        var gen = from s in ValidNumber
                  from position in Gen.Int[0, 16]
                  from delta in Gen.Int[1, 9]
                  select (s, position, delta);

        gen.Sample(t =>
        {
            var chars = t.s.ToCharArray();
            chars[t.position] = (char)('0' + ((chars[t.position] - '0' + t.delta) % 10));
            var changed = new string(chars);

            Assert.False(CitizenId.TryParse(changed, Today, out _, out _));
        });
    }

    [Fact]
    public void TryParse_ChangedCheckCharacter_ReturnsCheckCharacter()
    {
        var gen = from s in ValidNumber
                  from c in Gen.OneOfConst("0123456789X".ToCharArray())
                  where c != s[17]
                  select s[..17] + c;

        gen.Sample(s =>
        {
            Assert.False(CitizenId.TryParse(s, Today, out _, out var error));
            Assert.Equal(CitizenIdError.CheckCharacter, error);
        });
    }

    [Fact]
    public void Masked_GeneratedNumber_KeepsFirstAndLastFour()
    {
        ValidNumber.Sample(s =>
        {
            var masked = CitizenId.Parse(s, Today).Masked();
            Assert.Equal(s[..4] + new string('*', 10) + s[14..], masked);
        });
    }

    private static string Build(int province, int rest, DateOnly birth, int seq)
    {
        var first17 = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{province:D2}{rest:D4}{birth:yyyyMMdd}{seq:D3}");
        return first17 + CitizenId.ComputeCheckCharacter(first17);
    }
}
