using System.Globalization;
using Sojourn.Rules.Loading;

namespace Sojourn.Rules.Evaluation;

/// <summary>One row of a policy's values: a key, a zh-CN label, the value and where it comes from.</summary>
public sealed record PolicyRow(string Key, string Label, string Value, string Basis);

/// <summary>Flattens a compiled chain into rows for <c>policy show</c> and <c>policy diff</c>.</summary>
public static class PolicyTable
{
    /// <summary>Every value of the chain with its basis, in a stable order.</summary>
    public static IReadOnlyList<PolicyRow> Rows(CompiledPolicy p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var rows = new List<PolicyRow>();
        void Add<T>(string key, string label, Resolved<T>? r, Func<T, string> show)
        {
            if (r is not null)
            {
                rows.Add(new PolicyRow(key, label, show(r.Value), r.Basis));
            }
        }

        Add("scope.crossing", "流动人口范围：跨越层级", p.Crossing, v => v == CrossingLevel.County ? "跨县（市、区）" : "跨城市");
        Add("scope.sameCityDistricts", "设区的市所辖各区间跨区居住", p.SameCityDistricts, v => v ? "不属于流动人口" : "属于流动人口");
        Add("scope.notFloatingWithin", "市内不纳入管理的区域组", p.NotFloatingWithin, v => string.Join("；", v.Select(g => string.Join("、", g))));
        Add("scope.minimumStayDays", "最短居住日数", p.MinimumStay, v => $"{v}日以上");
        Add("scope.excludedCategories", "不适用的人员类别", p.ExcludedCategories, v => string.Join("、", v.Select(Zh)));

        foreach (var d in p.Duties)
        {
            var r = d.Rule;
            var key = $"duties.{r.Id}";
            var value = r.Every is { } every
                ? $"每{every.ToChinese()}一次，到期前{r.Window!.Value.ToChinese()}内办理；逾期{(r.Lapse == "void" ? "居住证废止" : "居住证使用功能中止")}"
                    + (r.LateYears == "continuous" ? "；补办后居住年限连续计算" : r.LateYears is null ? "" : "；补办后居住年限自补办之日起计算")
                : $"自{Event(r.From)}起{r.Period!.Value.ToChinese()}内" + (r.RemotePeriod is { } rp ? $"（偏远地区 {rp.ToChinese()}）" : "");
            if (r.WhenMinIntendedDays is { } md)
            {
                value += $"；拟居住{md}日以上";
            }

            if (r.WhenMinAge is { } ma)
            {
                value += $"；年满{ma}周岁";
            }

            if (r.WhenMaritalStatus is { } ms)
            {
                value += $"；婚姻状况为 {string.Join("、", ms)}";
            }

            rows.Add(new PolicyRow(key, $"义务 {r.Id}（{PartyName(r.Party)}）", value, d.Basis));
            foreach (var (e, i) in r.Exemptions.Select((e, i) => (e, i)))
            {
                var parts = new List<string>();
                if (e.Lodging is not null)
                {
                    parts.Add("住所：" + string.Join("、", e.Lodging.Select(Zh)));
                }

                if (e.Purposes is not null)
                {
                    parts.Add("事由：" + string.Join("、", e.Purposes.Select(Zh)));
                }

                if (e.BelowAge is { } ba)
                {
                    parts.Add($"未满{ba}周岁");
                }

                if (e.Categories is not null)
                {
                    parts.Add("类别：" + string.Join("、", e.Categories.Select(Zh)));
                }

                rows.Add(new PolicyRow($"{key}.exemptions[{i}]", $"  豁免 {r.Id}", string.Join("；", parts), Basis(p, d, e.Article)));
            }

            if (ReferenceEquals(d.IndividualSanction?.Rule, d.OrganizationSanction?.Rule) && d.IndividualSanction is { } same)
            {
                rows.Add(new PolicyRow($"sanctions.{r.Id}", $"  罚则 {r.Id}", Sanction(same.Rule), same.Basis));
            }
            else
            {
                foreach (var (kind, s) in new[] { ("individual", d.IndividualSanction), ("organization", d.OrganizationSanction) })
                {
                    if (s is not null)
                    {
                        rows.Add(new PolicyRow($"sanctions.{r.Id}.{kind}", $"  罚则 {r.Id}（{(kind == "individual" ? "个人" : "单位")}）", Sanction(s.Rule), s.Basis));
                    }
                }
            }
        }

        if (p.PermitBasis is not null)
        {
            rows.Add(new PolicyRow("permit.article", "居住证申领条件条款", "", p.PermitBasis));
        }

        Add("permit.residence", "居住证：居住期限", p.Residence, v => v.Period is { } per ? $"居住登记后满{per.ToChinese()}" : $"拟居住{v.MinIntendedDays}日以上");
        Add("permit.anyOf", "居住证：就业、住所、就读条件（其一）", p.AnyOf, v => v.Count == 0 ? "无" : string.Join("、", v.Select(Fact)));
        Add("permit.waivedBy", "居住证：可直接申领", p.WaivedBy, v => string.Join("、", v.Select(f => f.ToString())));
        Add("permit.minAge", "居住证：最低年龄", p.MinAge, v => $"年满{v}周岁");
        Add("permit.categories", "居住证：可申领的人员类别", p.PermitCategories, v => string.Join("、", v.Select(Zh)));
        Add("permit.excludedPurposes", "居住证：不予申领的事由", p.ExcludedPurposes, v => string.Join("、", v.Select(Zh)));
        Add("permit.validity", "居住证：有效期", p.Validity, v => v.ToChinese());
        foreach (var (f, basis) in p.Fees)
        {
            rows.Add(new PolicyRow($"permit.fees.{f.Id}", $"收费 {f.Id}", f.Yuan is { } y ? $"{y}元" : "按规定缴纳工本费", basis));
        }

        Lifecycle(p, rows);

        foreach (var e in p.Entitlements)
        {
            var kind = e.Rule.Kind switch { "right" => "权益", "service" => "公共服务", _ => "便利" };
            rows.Add(new PolicyRow($"entitlements.{e.Rule.Id}", $"{kind} {e.Rule.Id}", e.WithRegistration ? "持居住证或居住登记凭证" : "持居住证", e.Basis));
        }

        foreach (var d in p.Chain)
        {
            foreach (var o in d.Offences)
            {
                rows.Add(new PolicyRow($"offences.{d.Id}.{o.Id}", $"违法行为 {o.Id}", $"{o.Summary}；罚款 {Fine(o.Fine)}" + (o.SeriousFine is { } sf ? $"，情节严重 {Fine(sf)}" : ""), $"{d.Id}#{o.Article}"));
            }
        }

        return rows;
    }

    // Lifecycle keys, each from the most specific layer that sets it (Policies/README.md § lifecycle).
    private static void Lifecycle(CompiledPolicy p, List<PolicyRow> rows)
    {
        void Add<T>(string key, string label, Func<LifecycleRules, LifecycleValue<T>?> get, Func<T, string> show)
        {
            foreach (var d in p.Chain)
            {
                if (get(d.Lifecycle) is { } v)
                {
                    rows.Add(new PolicyRow($"lifecycle.{key}", label, show(v.Value), v.Article is null ? d.Id : $"{d.Id}#{v.Article}"));
                    return;
                }
            }
        }

        static string Yes(bool b) => b ? "是" : "否";
        static string List(IReadOnlyList<string> ids) => ids.Count == 0 ? "未规定" : string.Join("、", ids.Select(Who));
        Add("change", "居住证：变更住址、服务处所", l => l.ChangeWithin, v => v is { } x ? $"{x.ToChinese()}内办理" : "无");
        Add("crossStationClosesOld", "居住证：跨派出所变动须先注销原登记", l => l.CrossStationClosesOld, Yes);
        Add("cancelBeforeLeaving", "居住证：离开前注销", l => l.CancelBeforeLeaving, v => v is { } x ? $"离开前{x.ToChinese()}内" : "无");
        Add("cancelAfterSettling", "居住证：落户后注销", l => l.CancelAfterSettling, v => v is { } x ? $"落户之日起{x.ToChinese()}内" : "无");
        Add("deathReportedBy", "居住证：持有人死亡由谁注销", l => l.DeathReportedBy, List);
        Add("cancelAfterDeath", "居住证：死亡后注销期限", l => l.CancelAfterDeath, v => v is { } x ? $"死亡之日起{x.ToChinese()}内" : "未规定");
        Add("returnException", "居住证：返回不注销", l => l.ReturnException, v => v is { } x ? $"{x.ToChinese()}内返回不注销" : "无");
        Add("renewWithin", "居住证：期满换发（期满前N日内）", l => l.RenewWithin, v => v is { } x ? $"期满前{x.ToChinese()}内" : "未规定");
        Add("renewBy", "居住证：期满换发（期满N日前）", l => l.RenewBy, v => v is { } x ? $"期满{x.ToChinese()}前" : "未规定");
        Add("proxyUnderAge", "居住证：代为申领（年龄）", l => l.ProxyUnderAge, v => v is { } x ? $"未满{x}周岁" : "无");
        Add("proxyRelations", "居住证：代为申领人", l => l.ProxyRelations, v => v.Count == 0 ? "不得代为申领" : List(v));
        Add("proxyGrounds", "居住证：代为申领的情形", l => l.ProxyGrounds, v => v.Count == 0 ? "不得代为申领" : List(v));
        Add("materials", "居住证：申领材料", l => l.Materials, v => string.Join("、", v.Select(m => m.Label)));
        Add("earlierPermitsStayValid", "居住证：此前发放的证件有效期内继续有效", l => l.EarlierPermitsStayValid, Yes);
    }

    private static string Who(string id) => id switch
    {
        "close-relative" => "近亲属",
        "landlord" => "房屋出租人",
        "employer" => "用人单位",
        "guardian" => "监护人",
        "minor" => "未成年人",
        "elderly-limited-mobility" => "行动不便的老年人",
        "disabled-limited-mobility" => "行动不便的残疾人",
        _ => id,
    };

    private static string Basis(CompiledPolicy p, CompiledDuty d, string article) => d.Basis[..(d.Basis.IndexOf('#', StringComparison.Ordinal) + 1)] + article;

    private static string Event(CaseField f) => f switch
    {
        CaseField.StayArrivedOn => "到达居住地之日",
        CaseField.FactsRegisteredOn => "办理居住登记之日",
        CaseField.FactsChangedOn => "登记信息变动之日",
        CaseField.LandlordMovedInAt => "入住时",
        CaseField.LandlordRegisteredAt => "出租人登记时",
        CaseField.LandlordMovedOutOn => "离开出租房屋之日",
        CaseField.EmployerHiredOn => "聘用之日",
        CaseField.EmployerTerminatedOn => "终止或解除劳动关系之日",
        CaseField.MarketEnteredOn => "入驻之日",
        CaseField.AgencyIntroducedOn => "介绍成功之日",
        CaseField.AgencyMovedOutOn => "离开之日",
        CaseField.EstablishmentEnteredOn => "入住、入院、入学之日",
        CaseField.PermitAppliedOn => "受理申领之日",
        CaseField.PermitIssuedOn => "发证之日",
        _ => CaseFields.Name(f),
    };

    /// <summary>A party in zh-CN (流动人口, 房屋出租人, ...).</summary>
    public static string PartyName(Party p) => p switch
    {
        Party.Person => "流动人口",
        Party.Landlord => "房屋出租人",
        Party.Employer => "用人单位",
        Party.Market => "市场、工地管理方",
        Party.Agency => "中介机构",
        Party.Establishment => "旅馆、医院、寄宿学校、救助管理机构",
        _ => "公安派出所",
    };

    /// <summary>A lodging in zh-CN.</summary>
    public static string Zh(Lodging l) => l switch
    {
        Lodging.Rental => "租赁房屋",
        Lodging.Owned => "自有住房",
        Lodging.EmployerDormitory => "单位宿舍",
        Lodging.Relatives => "亲友家",
        Lodging.Hotel => "旅馆",
        Lodging.Hospital => "医院",
        Lodging.SchoolBoarding => "学校寄宿",
        Lodging.ReliefStation => "救助管理机构",
        _ => "其他",
    };

    /// <summary>A purpose of stay in zh-CN.</summary>
    public static string Zh(StayPurpose p) => p switch
    {
        StayPurpose.Work => "务工",
        StayPurpose.Business => "经商",
        StayPurpose.Study => "就学",
        StayPurpose.FamilyVisit => "探亲访友",
        StayPurpose.Tourism => "旅游",
        StayPurpose.BusinessTrip => "出差",
        StayPurpose.Medical => "就医",
        _ => "其他",
    };

    /// <summary>A person category in zh-CN.</summary>
    public static string Zh(PersonCategory c) => c switch
    {
        PersonCategory.Mainland => "内地居民",
        PersonCategory.HongKong => "香港居民",
        PersonCategory.Macao => "澳门居民",
        PersonCategory.Taiwan => "台湾居民",
        PersonCategory.OverseasChinese => "华侨",
        PersonCategory.Foreigner => "外国人",
        _ => "无国籍人",
    };

    private static string Fact(FactCondition f) => f.Fact <= PermitFact.AgriculturalContractMonths
        ? string.Create(CultureInfo.InvariantCulture, $"{f.Fact}≥{f.AtLeast}")
        : f.Fact.ToString();

    private static string Sanction(SanctionRule s)
    {
        var parts = new List<string>();
        if (s.Warning)
        {
            parts.Add("警告");
        }

        if (s.OrderToCorrect)
        {
            parts.Add("责令改正");
        }

        parts.Add((s.FineOnlyIfUncorrected ? "逾期不改正的罚款 " : "罚款 ") + Fine(s.Fine));
        if (s.SeriousFine is { } sf)
        {
            parts.Add("情节严重 " + Fine(sf));
        }

        return string.Join("；", parts);
    }

    private static string Fine(FineRange? f) => f is null ? "无" : f.MinYuan == 0 ? $"{f.MaxYuan}元以下" : $"{f.MinYuan}–{f.MaxYuan}元";
}
