using System.Globalization;
using System.Text.Json.Nodes;
using Sojourn.Domain;

namespace Sojourn.Web.Tests.Infrastructure;

/// <summary>Builders for registration requests; every call gets a new valid identity number.</summary>
public static class TestData
{
    private static int _counter;

    /// <summary>
    /// A stored registration record (a 北京 hukou, a residence in 太原 小店区) for tests that build the aggregate
    /// directly; the identity number's cipher and lookup hash are the caller's.
    /// </summary>
    public static Data.Registrations.RegistrationRecord Record(string idCipher, string idHmac) => new()
    {
        Name = "王五",
        Sex = "male",
        EthnicGroup = "01",
        BirthDate = new DateOnly(1990, 1, 1),
        IdNumberCipher = idCipher,
        IdNumberHmac = idHmac,
        IdNumberMasked = "1101**********0011",
        HukouDivisionCode = "110101",
        HukouAddress = "北京市东城区某街1号",
        ResidenceDivisionCode = "140105",
        ResidenceAddress = "太原市小店区某路" + Random.Shared.Next(1, 9999) + "号",
        EducationLevel = "20",
        EmploymentStatus = "employed",
        MaritalStatus = "married",
        ArrivedOn = new DateOnly(2026, 11, 20),
        IntendedDays = 365,
        Purpose = "work",
        Lodging = "rented",
    };

    /// <summary>A valid identity number from 河北 长安区, unique within the test run.</summary>
    public static string NewIdNumber(string division = "130102", bool male = true)
    {
        var n = Interlocked.Increment(ref _counter);
        // Born 1980–1999 whatever the count (a 20,000-row import drew births past the 2013 and 2016 clocks of older tests);
        // with the serial below, a number repeats only after lcm(7300, 499) draws.
        var birth = new DateOnly(1980, 1, 1).AddDays(n % 7300);
        var serial = (n % 499 * 2) + (male ? 1 : 2);
        var first17 = division + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + serial.ToString("D3", CultureInfo.InvariantCulture);
        return first17 + CitizenId.ComputeCheckCharacter(first17);
    }

    public static JsonObject Declaration(
        string? idNumber = null,
        string residenceDivision = "140105",
        string? residenceAddress = null,
        string arrivedOn = "2026-06-01")
    {
        return new JsonObject
        {
            ["name"] = "王小明",
            ["ethnicGroup"] = "01",
            ["idNumber"] = idNumber ?? NewIdNumber(),
            ["hukouDivision"] = "130102",
            ["hukouAddress"] = "河北省石家庄市长安区建设北大街12号",
            ["residenceDivision"] = residenceDivision,
            ["residenceAddress"] = residenceAddress ?? $"太原市小店区亲贤北街{Interlocked.Increment(ref _counter)}号",
            ["workplace"] = "太原市某建筑工程有限公司",
            ["education"] = "21",
            ["employment"] = "employed",
            ["socialInsurance"] = new JsonArray("pension", "medical"),
            ["maritalStatus"] = "married",
            ["marriageBirthCertificate"] = true,
            ["arrivedOn"] = arrivedOn,
            ["intendedDays"] = 365,
            ["purpose"] = "work",
            ["lodging"] = "rental",
            ["children"] = new JsonArray(new JsonObject
            {
                ["name"] = "王小花",
                ["sex"] = "female",
                ["birthDate"] = "2018-03-01",
            }),
            ["declarant"] = new JsonObject { ["channel"] = "collector", ["name"] = "韩梅", ["role"] = "社区协管员" },
        };
    }

    /// <summary>Smallest JPEG-looking content of the given size (magic bytes, then padding).</summary>
    public static byte[] Jpeg(int size)
    {
        var bytes = new byte[size];
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        bytes[3] = 0xE0;
        return bytes;
    }
}
