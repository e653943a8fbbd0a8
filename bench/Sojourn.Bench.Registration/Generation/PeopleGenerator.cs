using System.Globalization;
using Sojourn.Domain;
using Sojourn.Rules;
using Sojourn.Rules.Divisions;

namespace Sojourn.Bench.Registration.Generation;

/// <summary>Settings of <see cref="PeopleGenerator"/>.</summary>
/// <param name="Seed">Same seed, same today and same options: the same people, in the same order.</param>
/// <param name="Today">The date in China the data must be valid on (birth and arrival not after it).</param>
/// <param name="ResidenceProvince">Two-digit province prefix (e.g. "14" 山西) every residence lies in;
/// null spreads residences over the country, weighted toward the big receiving provinces.</param>
public sealed record GeneratorOptions(int Seed, DateOnly Today, string? ResidenceProvince = null);

/// <summary>
/// Deterministic generator of realistic floating-population registrations: valid GB 11643 identity
/// numbers whose division, birth date and sex agree with the record; hukou in one real GB/T 2260
/// county and residence in another; weighted surnames, ethnic groups per province (GB/T 3304),
/// age-dependent education, work, marriage and accompanying children; addresses made of the
/// division's full name and plausible roads, estates, buildings, units and rooms.
/// </summary>
public sealed class PeopleGenerator
{
    private const int MinAge = 16;

    private readonly Random _random;
    private readonly DateOnly _today;
    private readonly DivisionTable _divisions;
    private readonly Weighted<Division> _hukouCounties;
    private readonly Weighted<Division> _residenceCounties;
    private readonly Weighted<Division>? _hukouInProvince;
    private readonly Dictionary<string, Division[]> _urbanByProvince;
    private readonly Division[] _counties;
    private readonly Weighted<string> _surnames;
    private readonly Dictionary<string, Weighted<string>> _ethnicByProvince = new(StringComparer.Ordinal);
    private readonly Weighted<string> _roadSuffixes;
    private readonly Weighted<string> _estateSuffixes;
    private readonly Weighted<string> _industries;
    private readonly Weighted<(int Low, int High)> _ageBands;
    private readonly HashSet<string> _issuedIds = new(StringComparer.Ordinal);
    private readonly string? _residenceProvince;

    public PeopleGenerator(GeneratorOptions options, DivisionTable? divisions = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _random = new Random(options.Seed);
        _today = options.Today;
        _divisions = divisions ?? DivisionTable.Default;
        _residenceProvince = options.ResidenceProvince;
        _counties = [.. _divisions.All.Where(d => d.Level == DivisionLevel.County)];
        if (_residenceProvince is not null && !_counties.Any(c => c.Code.StartsWith(_residenceProvince, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"No county in province {_residenceProvince}.", nameof(options));
        }

        // Hukou: rural counties send more people than city districts; the big sending provinces more still.
        _hukouCounties = _counties.Select(c => (c, (c.IsUrbanDistrict ? 1.0 : 3.0) * SendingWeight(c.Code[..2]))).ToWeighted();
        // Residence: mostly city districts (市辖区), where rented housing and jobs are.
        _residenceCounties = _counties
            .Where(c => _residenceProvince is null || c.Code.StartsWith(_residenceProvince, StringComparison.Ordinal))
            .Select(c => (c, (c.IsUrbanDistrict ? 6.0 : 1.0) * (_residenceProvince is null ? ReceivingWeight(c.Code[..2]) : 1.0)))
            .ToWeighted();
        _hukouInProvince = _residenceProvince is null
            ? null
            : _counties.Where(c => c.Code.StartsWith(_residenceProvince, StringComparison.Ordinal))
                .Select(c => (c, c.IsUrbanDistrict ? 1.0 : 3.0)).ToWeighted();
        _urbanByProvince = _counties.Where(c => c.IsUrbanDistrict)
            .GroupBy(c => c.Code[..2], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _surnames = NameData.Surnames.Select(s => (s.Surname, s.Share)).ToWeighted();
        _roadSuffixes = NameData.RoadSuffixes.Select(s => (s.Suffix, s.Weight)).ToWeighted();
        _estateSuffixes = NameData.EstateSuffixes.Select(s => (s.Suffix, s.Weight)).ToWeighted();
        _industries = NameData.Industries.Select(s => (s.Industry, s.Weight)).ToWeighted();
        _ageBands = new (int, int, double)[]
        {
            (16, 19, 6), (20, 24, 14), (25, 29, 16), (30, 34, 15), (35, 39, 13), (40, 44, 11), (45, 49, 9),
            (50, 54, 7), (55, 59, 5), (60, 69, 4),
        }.Select(b => ((b.Item1, b.Item2), b.Item3)).ToWeighted();
    }

    /// <summary>An endless stream of people; take as many as needed.</summary>
    public IEnumerable<SyntheticPerson> Generate()
    {
        while (true)
        {
            yield return Next();
        }
    }

    /// <summary>The next person.</summary>
    public SyntheticPerson Next()
    {
        var r = _random;
        // With a fixed residence province most movers come from within it (as in Shanxi's 2020 census).
        var hukou = _hukouInProvince is not null && r.Chance(0.6) ? _hukouInProvince.Pick(r) : _hukouCounties.Pick(r);
        var residence = PickResidence(hukou);
        var male = r.Chance(0.52);
        var age = _ageBands.Pick(r);
        var birth = BirthDateForAge(age.Low, age.High);
        var ageNow = AgeOn(birth, _today);
        var ethnic = PickEthnicGroup(hukou.Code[..2]);
        var surname = _surnames.Pick(r);
        var name = PersonName(ethnic.Name, surname, male, birth.Year);
        // The number carries the county of first registration: usually the hukou county, sometimes a
        // neighbour in the same prefecture (hukou moved after birth).
        var birthCounty = r.Chance(0.9) ? hukou.Code : NeighbourCounty(hukou).Code;
        var id = IssueId(birthCounty, birth, male);

        var employment = PickEmployment(ageNow);
        var education = PickEducation(ageNow, employment);
        var marital = PickMaritalStatus(ageNow);
        var purpose = PickPurpose(employment);
        var lodging = PickLodging(employment, purpose);
        var workplace = Workplace(employment, residence, ageNow);
        var arrivedOn = _today.AddDays(-Math.Min(365, (int)(-Math.Log(1 - r.NextDouble()) * 12)));
        var children = marital == "married" && ageNow is >= 25 and <= 48 && purpose is "work" or "business"
                       && lodging is not ("employer-dormitory" or "school-boarding")
            ? Children(surname, birth, hukou.Code)
            : [];
        var declarant = PickDeclarant(residence);

        return new SyntheticPerson
        {
            Name = name,
            Sex = male ? "male" : "female",
            EthnicGroup = ethnic.Code,
            BirthDate = birth,
            IdNumber = id,
            HukouDivision = hukou.Code,
            HukouAddress = HukouAddress(hukou),
            ResidenceDivision = residence.Code,
            ResidenceAddress = ResidenceAddress(residence, lodging, workplace),
            Workplace = workplace,
            Education = education,
            Employment = employment,
            SocialInsurance = PickInsurance(employment),
            MaritalStatus = marital,
            MarriageBirthCertificate = !male && marital == "married" && ageNow is >= 18 and <= 49 && r.Chance(0.6),
            ArrivedOn = arrivedOn < birth ? birth : arrivedOn,
            IntendedDays = PickIntendedDays(employment),
            Purpose = purpose,
            Lodging = lodging,
            Children = children,
            Declarant = declarant.Declarant,
            Actor = declarant.Actor,
        };
    }

    private Division PickResidence(Division hukou)
    {
        var r = _random;
        // About a third of moves stay within the province (a county town to the provincial capital).
        var sameProvince = _residenceProvince is null
            ? r.Chance(0.35)
            : hukou.Code.StartsWith(_residenceProvince, StringComparison.Ordinal);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            Division candidate;
            if (sameProvince)
            {
                candidate = _urbanByProvince.TryGetValue(hukou.Code[..2], out var urban) ? r.Of(urban) : _residenceCounties.Pick(r);
            }
            else
            {
                candidate = _residenceCounties.Pick(r);
            }

            if (candidate.Code != hukou.Code)
            {
                return candidate;
            }
        }

        return _counties.First(c => c.Code != hukou.Code);
    }

    private Division NeighbourCounty(Division county)
    {
        var siblings = county.ParentCode is { } p ? _divisions.Children(p) : [];
        return siblings.Count > 0 ? _random.Of(siblings) : county;
    }

    private DateOnly BirthDateForAge(int low, int high)
    {
        // Born after today - (high+1) years and on or before today - low years.
        var earliest = _today.AddYears(-(high + 1)).AddDays(1);
        var latest = _today.AddYears(-low);
        return DateOnly.FromDayNumber(_random.Next(earliest.DayNumber, latest.DayNumber + 1));
    }

    private static int AgeOn(DateOnly birth, DateOnly date)
    {
        var age = date.Year - birth.Year;
        return date < birth.AddYears(age) ? age - 1 : age;
    }

    /// <summary>A GB 11643 number not issued before in this run: county + birth date + sequence + check.</summary>
    private string IssueId(string county, DateOnly birth, bool male)
    {
        for (var attempt = 0; ; attempt++)
        {
            // Sequence 001-999: odd for men, even for women.
            var sequence = male ? (_random.Next(0, 500) * 2) + 1 : _random.Next(1, 500) * 2;
            var first17 = string.Create(CultureInfo.InvariantCulture, $"{county}{birth:yyyyMMdd}{sequence:D3}");
            var id = first17 + CitizenId.ComputeCheckCharacter(first17);
            if (_issuedIds.Add(id))
            {
                return id;
            }

            if (attempt > 1000)
            {
                throw new InvalidOperationException("Identity number space exhausted for one county and day.");
            }
        }
    }

    private (string Code, string Name) PickEthnicGroup(string province)
    {
        if (!_ethnicByProvince.TryGetValue(province, out var table))
        {
            var minorities = NameData.EthnicMix.GetValueOrDefault(province) ?? [];
            var han = 100 - minorities.Sum(m => m.Share);
            table = minorities.Select(m => (m.Group, m.Share)).Append(("汉族", han)).ToWeighted();
            _ethnicByProvince[province] = table;
        }

        var name = table.Pick(_random);
        var code = CodeTables.EthnicGroups.FindByName(name)?.Code
                   ?? throw new InvalidOperationException($"{name} is not in GB/T 3304.");
        return (code, name);
    }

    private string PersonName(string ethnicGroup, string surname, bool male, int birthYear)
    {
        var r = _random;
        if (NameData.TurkicGroups.Contains(ethnicGroup))
        {
            var (own, fathers) = ethnicGroup == "哈萨克族"
                ? (male ? NameData.KazakhMale : NameData.KazakhFemale, NameData.KazakhMale)
                : (male ? NameData.UyghurMale : NameData.UyghurFemale, NameData.UyghurMale);
            return r.Of(own) + "·" + r.Of(fathers);
        }

        if (ethnicGroup is "藏族" or "门巴族")
        {
            // Two two-character names, no surname (扎西次仁, 格桑卓玛).
            var own = male ? NameData.TibetanMale : NameData.TibetanFemale;
            var first = r.Chance(0.5) ? r.Of(NameData.TibetanAny) : r.Of(own);
            string second;
            do
            {
                second = r.Of(own);
            }
            while (second == first);
            return first + second;
        }

        if (ethnicGroup == "蒙古族" && r.Chance(0.4))
        {
            return r.Of(male ? NameData.MongolMale : NameData.MongolFemale);
        }

        return surname + GivenName(male, birthYear);
    }

    private string GivenName(bool male, int birthYear)
    {
        var r = _random;
        var gendered = male ? NameData.MaleChars : NameData.FemaleChars;
        // One-character given names were common in the 1960s-80s and are rarer today.
        var single = birthYear < 1980 ? 0.35 : birthYear < 2000 ? 0.25 : 0.15;
        if (r.Chance(single))
        {
            return r.Of(gendered);
        }

        var first = birthYear < 1980 && r.Chance(0.5)
            ? r.Of(male ? NameData.OlderMaleFirst : NameData.OlderFemaleFirst)
            : r.Chance(0.3) ? r.Of(NameData.NeutralChars) : r.Of(gendered);
        string second;
        do
        {
            second = r.Of(gendered);
        }
        while (second == first);
        return first + second;
    }

    private string PickEmployment(int age)
    {
        var r = _random;
        if (age <= 22 && r.Chance(age <= 18 ? 0.7 : 0.4))
        {
            return "student";
        }

        if (age >= 60 && r.Chance(0.5))
        {
            return "retired";
        }

        return new (string, double)[]
        {
            ("employed", 60), ("self-employed", 12), ("flexible", 12), ("unemployed", 5), ("other", 3),
            ("retired", age >= 50 ? 5 : 0), ("student", age is > 22 and < 30 ? 3 : 0),
        }.ToWeighted().Pick(r);
    }

    private string PickEducation(int age, string employment)
    {
        var r = _random;
        if (employment == "student")
        {
            return age <= 18 ? "71" : age <= 22 ? "61" : "21";
        }

        // Younger people have more schooling (GB/T 4658 codes).
        var young = age < 35;
        return new (string, double)[]
        {
            ("11", 0.3), ("14", young ? 3 : 1), ("21", young ? 20 : 8), ("31", young ? 18 : 10), ("41", 5),
            ("44", 3), ("47", 3), ("61", 15), ("71", young ? 25 : 35), ("73", 3), ("81", young ? 3 : 10),
            ("83", young ? 0.5 : 2), ("90", 0.5),
        }.ToWeighted().Pick(r);
    }

    private string PickMaritalStatus(int age)
    {
        var r = _random;
        return age switch
        {
            < 22 => r.Chance(0.95) ? "unmarried" : "married",
            < 30 => r.Chance(0.5) ? "married" : r.Chance(0.97) ? "unmarried" : "divorced",
            < 40 => new (string, double)[] { ("married", 85), ("unmarried", 9), ("divorced", 5), ("widowed", 1) }.ToWeighted().Pick(r),
            < 55 => new (string, double)[] { ("married", 88), ("unmarried", 3), ("divorced", 7), ("widowed", 2) }.ToWeighted().Pick(r),
            _ => new (string, double)[] { ("married", 82), ("unmarried", 2), ("divorced", 6), ("widowed", 10) }.ToWeighted().Pick(r),
        };
    }

    private string PickPurpose(string employment)
    {
        var r = _random;
        (string, double)[] weights = employment switch
        {
            "student" => [("study", 95), ("family-visit", 5)],
            "retired" => [("family-visit", 60), ("medical", 20), ("tourism", 10), ("other", 10)],
            "unemployed" => [("work", 40), ("family-visit", 40), ("other", 20)],
            "other" => [("family-visit", 40), ("work", 30), ("other", 30)],
            _ => [("work", 80), ("business", 12), ("business-trip", 6), ("other", 2)],
        };
        return weights.ToWeighted().Pick(r);
    }

    private string PickLodging(string employment, string purpose)
    {
        var r = _random;
        (string, double)[] weights = (employment, purpose) switch
        {
            ("student", _) => [("school-boarding", 70), ("rental", 25), ("relatives", 5)],
            (_, "medical") => [("hospital", 30), ("rental", 30), ("relatives", 30), ("hotel", 10)],
            (_, "family-visit") => [("relatives", 70), ("rental", 15), ("owned", 10), ("hotel", 5)],
            (_, "business-trip" or "tourism") => [("hotel", 70), ("rental", 20), ("relatives", 10)],
            _ => [("rental", 55), ("employer-dormitory", 22), ("relatives", 8), ("owned", 8), ("hotel", 2), ("other", 5)],
        };
        return weights.ToWeighted().Pick(r);
    }

    private string[] PickInsurance(string employment)
    {
        var r = _random;
        return employment switch
        {
            "employed" => r.NextDouble() switch
            {
                < 0.65 => ["pension", "medical", "unemployment", "work-injury", "maternity"],
                < 0.85 => ["pension", "medical"],
                < 0.95 => ["medical"],
                _ => [],
            },
            "self-employed" or "flexible" => r.NextDouble() switch
            {
                < 0.35 => ["pension", "medical"],
                < 0.8 => ["medical"],
                _ => [],
            },
            "retired" => ["pension", "medical"],
            _ => r.Chance(0.7) ? ["medical"] : [],
        };
    }

    private int PickIntendedDays(string employment) =>
        employment == "student"
            ? _random.Chance(0.6) ? 365 : 1095
            : new (int, double)[] { (30, 8), (60, 6), (90, 10), (180, 18), (365, 35), (730, 13), (1095, 10) }
                .ToWeighted().Pick(_random);

    private string? Workplace(string employment, Division residence, int age)
    {
        var r = _random;
        var city = CityShortName(residence);
        return employment switch
        {
            "employed" => city + r.Of(NameData.BrandWords) + _industries.Pick(r),
            "self-employed" => Road() + r.Of(NameData.BrandWords) + r.Of(NameData.Shops),
            "flexible" => r.Chance(0.5) ? city + r.Of(NameData.BrandWords) + "同城配送站" : null,
            "student" => age <= 18
                ? string.Create(CultureInfo.InvariantCulture, $"{city}第{r.Next(1, 31)}中学")
                : city + r.Of(["职业技术学院", "理工大学", "师范大学", "医科大学", "财经学院", "科技大学"]),
            _ => null,
        };
    }

    private string CityShortName(Division county)
    {
        var prefecture = _divisions.Prefecture(county.Code) ?? county;
        var name = prefecture.Name;
        return name.EndsWith('市') && name.Length > 2 ? name[..^1] : name;
    }

    private List<SyntheticChild> Children(string surname, DateOnly parentBirth, string hukouCounty)
    {
        var r = _random;
        var count = r.NextDouble() switch
        {
            < 0.22 => 1,
            < 0.30 => 2,
            _ => 0,
        };
        var children = new List<SyntheticChild>(count);
        // Born when the parent was at least 20, and under 16 today (with a day's margin).
        var earliest = DateOnly.FromDayNumber(Math.Max(parentBirth.AddYears(20).DayNumber, _today.AddYears(-16).AddDays(2).DayNumber));
        if (earliest > _today)
        {
            return children;
        }

        for (var i = 0; i < count; i++)
        {
            var male = r.Chance(0.52);
            var birth = DateOnly.FromDayNumber(r.Next(earliest.DayNumber, _today.DayNumber + 1));
            var given = GivenName(male, birth.Year);
            var id = r.Chance(0.7) ? IssueId(hukouCounty, birth, male) : null;
            children.Add(new SyntheticChild(surname + given, male ? "male" : "female", birth, id));
        }

        return children;
    }

    private (SyntheticDeclarant Declarant, string Actor) PickDeclarant(Division residence)
    {
        var r = _random;
        var roll = r.NextDouble();
        if (roll < 0.7)
        {
            return (new SyntheticDeclarant("self", null, null), "citizen:app");
        }

        var staff = _surnames.Pick(r) + GivenName(r.Chance(0.5), 1985);
        var number = r.Next(1, 100);
        return roll < 0.9
            ? (new SyntheticDeclarant("collector", staff, "社区协管员"),
                string.Create(CultureInfo.InvariantCulture, $"collector:{residence.Code}-c{number:D3}"))
            : (new SyntheticDeclarant("officer", staff, "社区民警"),
                string.Create(CultureInfo.InvariantCulture, $"officer:{residence.Code}-{number:D4}"));
    }

    // ---- addresses ----

    private string Road()
    {
        var r = _random;
        var direction = r.Chance(0.25) ? r.Of(NameData.Directions) : "";
        return r.Of(NameData.RoadStems) + direction + _roadSuffixes.Pick(r);
    }

    private string PlaceName(int length) =>
        string.Concat(Enumerable.Range(0, length).Select(_ => _random.Of(NameData.PlaceChars)));

    private string UrbanFlat(Division division)
    {
        var r = _random;
        var estate = r.Of(NameData.EstateStems) + _estateSuffixes.Pick(r);
        var floor = r.Next(1, 19);
        return string.Create(CultureInfo.InvariantCulture,
            $"{division.FullName}{Road()}{r.Next(1, 400)}号{estate}{r.Next(1, 31)}号楼{r.Next(1, 7)}单元{floor}{r.Next(1, 5):D2}室");
    }

    private string Village(Division division)
    {
        var r = _random;
        var township = PlaceName(2) + (r.Chance(0.7) ? "镇" : "乡");
        var village = PlaceName(r.Chance(0.7) ? 1 : 2) + r.Of(NameData.VillageSuffixes) + (r.Chance(0.5) ? "村" : "");
        if (!village.EndsWith('村'))
        {
            village += "村";
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{division.FullName}{township}{village}{r.Next(1, 13)}组{r.Next(1, 120)}号");
    }

    private string HukouAddress(Division hukou) =>
        hukou.IsUrbanDistrict || _random.Chance(0.25) ? UrbanFlat(hukou) : Village(hukou);

    private string ResidenceAddress(Division residence, string lodging, string? workplace)
    {
        var r = _random;
        return lodging switch
        {
            "employer-dormitory" when workplace is not null => string.Create(CultureInfo.InvariantCulture,
                $"{residence.FullName}{Road()}{r.Next(1, 400)}号{workplace}职工宿舍{r.Next(1, 9)}号楼{r.Next(101, 640)}室"),
            "hotel" => string.Create(CultureInfo.InvariantCulture,
                $"{residence.FullName}{Road()}{r.Next(1, 400)}号{r.Of(NameData.BrandWords)}宾馆{r.Next(201, 1230)}房间"),
            // Urban villages (城中村) are where much of the rented housing is.
            "rental" when r.Chance(0.15) => string.Create(CultureInfo.InvariantCulture,
                $"{residence.FullName}{PlaceName(2)}村{r.Next(1, 300)}号{r.Next(1, 5)}层{r.Next(1, 12)}室"),
            _ => residence.IsUrbanDistrict || r.Chance(0.6) ? UrbanFlat(residence) : Village(residence),
        };
    }

    // Sending provinces (net out-migration) weigh more as hukou places, the rich municipalities less.
    private static double SendingWeight(string province) => province switch
    {
        "41" or "51" or "34" or "43" or "42" or "36" or "45" or "52" or "50" => 2.0,
        "11" or "12" or "31" or "54" or "44" or "33" => 0.4,
        _ => 1.0,
    };

    private static double ReceivingWeight(string province) => province switch
    {
        "44" or "31" or "11" => 4.0,
        "33" => 3.0,
        "32" => 2.0,
        "35" or "12" => 1.5,
        _ => 1.0,
    };
}
