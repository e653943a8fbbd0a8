using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Sojourn.Domain;

namespace Sojourn.Web.Registration;

/// <summary>
/// A dozen realistic registrations in 太原 and 大同 for a fresh database (Sojourn:Seed:Demo, on in
/// Development). They go through the same use cases as the API, so they pass the same checks.
/// Identity numbers are made up: valid check characters, invented people.
/// </summary>
internal sealed class DemoSeeder(RegistrationContext ctx, IConfiguration configuration, ILogger<DemoSeeder> logger) : Hosting.IStartupSeeder
{
    private sealed record Person(
        string Name, string Hukou, string HukouAddress, string Birth, int Serial, string Ethnic, string Education,
        string Residence, string Address, string Workplace, string Purpose, string Lodging, int ArrivedDaysAgo,
        string? Station, string? StationName, bool Departed = false);

    private static readonly Person[] People =
    [
        new("王建国", "130102", "河北省石家庄市长安区建设北大街12号", "19860412", 31, "01", "21", "140105", "太原市小店区亲贤北街88号3单元502室", "太原市小店区某建筑工程有限公司", "work", "rental", 40, "140105000001", "太原市公安局小店分局亲贤派出所"),
        new("李秀英", "410105", "河南省郑州市金水区花园路56号", "19920817", 42, "01", "31", "140105", "太原市小店区坞城路120号2号楼", "太原市小店区坞城路便利店", "business", "rental", 25, "140105000001", "太原市公安局小店分局亲贤派出所"),
        new("张伟", "370102", "山东省济南市历下区泉城路9号", "19950103", 15, "01", "20", "140106", "太原市迎泽区迎泽大街201号", "太原市迎泽区某软件公司", "work", "employer-dormitory", 60, "140106000002", "太原市公安局迎泽分局柳巷派出所"),
        new("马海燕", "620102", "甘肃省兰州市城关区庆阳路33号", "19980621", 26, "03", "31", "140107", "太原市杏花岭区府西街17号", "太原市杏花岭区清真餐厅", "work", "rental", 12, null, null),
        new("刘洋", "610113", "陕西省西安市雁塔区小寨东路7号", "20010930", 53, "01", "20", "140109", "太原市万柏林区千峰南路66号", "太原理工大学", "study", "school-boarding", 90, "140109000003", "太原市公安局万柏林分局千峰派出所"),
        new("陈静", "510107", "四川省成都市武侯区科华北路45号", "19890214", 64, "01", "21", "140109", "太原市万柏林区长风西街8号1单元101室", "太原市万柏林区某医院", "medical", "relatives", 8, null, null),
        new("赵磊", "141002", "山西省临汾市尧都区鼓楼南大街3号", "19930505", 71, "01", "41", "140108", "太原市尖草坪区和平北路300号", "太原市尖草坪区某机械厂", "work", "employer-dormitory", 150, "140108000004", "太原市公安局尖草坪分局上兰派出所"),
        new("孙丽", "140403", "山西省长治市潞州区英雄中路21号", "19870911", 82, "01", "31", "140213", "大同市平城区永泰南路19号4号楼302室", "大同市平城区某商贸公司", "business", "rental", 35, "140213000005", "大同市公安局平城分局新建派出所"),
        new("乌云", "150102", "内蒙古自治区呼和浩特市新城区新华大街5号", "19940727", 92, "02", "31", "140213", "大同市平城区魏都大道99号", "大同市平城区某物流公司", "work", "rental", 20, "140213000005", "大同市公安局平城分局新建派出所"),
        new("周强", "130602", "河北省保定市竞秀区朝阳北大街8号", "19800101", 13, "01", "61", "140214", "大同市云冈区新平旺街道6号", "大同市云冈区某煤矿", "work", "employer-dormitory", 200, "140214000006", "大同市公安局云冈分局新平旺派出所", Departed: true),
        new("吴芳", "140702", "山西省晋中市榆次区顺城街44号", "19960318", 24, "01", "21", "140214", "大同市云冈区马军营街道12号", "大同市云冈区某小学", "work", "rental", 5, null, null),
        new("郑浩", "410105", "河南省郑州市金水区经三路18号", "19910629", 35, "01", "21", "140121", "太原市清徐县徐沟镇东街7号", "清徐县某醋业公司", "work", "rental", 70, "140121000007", "太原市清徐县公安局徐沟派出所"),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Sojourn:Seed:Demo", false) || await ctx.Db.Registrations.AnyAsync(cancellationToken))
        {
            return;
        }

        var today = ctx.Clock.Today;
        var cases = ctx.UseCases();
        var seed = RegistrationContext.SystemActor("seed");
        var count = 0;
        foreach (var p in People)
        {
            var first17 = p.Hukou + p.Birth + p.Serial.ToString("D3", CultureInfo.InvariantCulture);
            var idNumber = first17 + CitizenId.ComputeCheckCharacter(first17);
            var request = new DeclareRequest
            {
                Name = p.Name,
                IdNumber = idNumber,
                EthnicGroup = p.Ethnic,
                HukouDivision = p.Hukou,
                HukouAddress = p.HukouAddress,
                ResidenceDivision = p.Residence,
                ResidenceAddress = p.Address,
                Workplace = p.Workplace,
                Education = p.Education,
                Employment = p.Purpose == "study" ? "student" : "employed",
                SocialInsurance = p.Purpose == "work" ? ["pension", "medical"] : [],
                MaritalStatus = "married",
                MarriageBirthCertificate = true,
                ArrivedOn = today.AddDays(-p.ArrivedDaysAgo),
                IntendedDays = 365,
                Purpose = p.Purpose,
                Lodging = p.Lodging,
                Declarant = p.Station is null ? null : new DeclarantInput("collector", "社区协管员 韩梅", "社区流动人口协管员"),
            };
            var declared = await cases.DeclareAsync(new DeclareRegistrationCommand(request), seed, cancellationToken);
            if (!declared.TryGetValue(out var recorded, out _) || recorded.Registration is not { } dto)
            {
                logger.LogWarning("Demo registration {Index} was rejected", count);
                continue;
            }

            count++;
            if (p.Station is null)
            {
                continue;
            }

            var confirmed = await cases.ConfirmAsync(
                new ConfirmRegistrationCommand(dto.Id, dto.Version, p.Station, p.StationName, "李警官"), seed, cancellationToken);
            if (p.Departed && confirmed.TryGetValue(out var ok, out _))
            {
                await cases.EndAsync(new EndRegistrationCommand(dto.Id, ok.Version, today.AddDays(-3), "合同期满返乡", null), seed, cancellationToken);
            }
        }

        logger.LogInformation("Seeded {Count} demo registrations", count);
    }
}
