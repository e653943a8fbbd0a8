using System.Security.Cryptography;
using System.Text;
using Sojourn.Rules.Evaluation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sojourn.Rules.Loading;

/// <summary>
/// Reads policy files (schema: Policies/README.md) and validates them: unknown keys, missing
/// articles, periods without units, bad vocabulary, broken parents and overlapping in-force dates
/// for one territory all fail with <see cref="PolicyLoadException"/> naming file, line and key.
/// </summary>
internal static class PolicyLoader
{
    private const string ResourcePrefix = "Sojourn.Rules.Policies.";

    /// <summary>Loads every policy embedded in Sojourn.Rules.</summary>
    public static IReadOnlyList<PolicyDocument> LoadEmbedded()
    {
        var asm = typeof(PolicyLoader).Assembly;
        var files = new List<(string, byte[])>();
        foreach (var name in asm.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var s = asm.GetManifestResourceStream(name)!;
            using var ms = new MemoryStream();
            s.CopyTo(ms);
            files.Add((name[ResourcePrefix.Length..], ms.ToArray()));
        }

        return LoadAll(files);
    }

    /// <summary>Loads and cross-validates a set of files (name, bytes).</summary>
    public static IReadOnlyList<PolicyDocument> LoadAll(IEnumerable<(string FileName, byte[] Content)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var docs = files.Select(f => Load(f.FileName, f.Content)).ToList();
        Validate(docs);
        return docs;
    }

    /// <summary>Loads one file.</summary>
    public static PolicyDocument Load(string fileName, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(content);
        var text = Encoding.UTF8.GetString(content);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new PolicyLoadException(fileName, e.Start.Line, "(yaml)", $"YAML 语法错误：{e.Message}");
        }

        if (stream.Documents.Count != 1)
        {
            throw new PolicyLoadException(fileName, 1, "(yaml)", "文件应只含一个 YAML 文档");
        }

        var root = YamlMap.Of(stream.Documents[0].RootNode, fileName, "");
        var doc = ReadDocument(root, fileName, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content)));
        var expected = fileName.EndsWith(".yaml", StringComparison.Ordinal) ? fileName[..^5] : fileName;
        if (doc.Id != expected)
        {
            throw root.Error("id", $"id “{doc.Id}” 与文件名 “{expected}” 不一致");
        }

        return doc;
    }

    private static PolicyDocument ReadDocument(YamlMap m, string file, string hash)
    {
        var id = m.String("id", true)!;
        var territory = m.Strings("territory", true);
        if (territory.Count == 0)
        {
            throw m.Error("territory", "至少列出一个区划代码前缀，或 [nationwide]");
        }

        var nationwide = territory.Count == 1 && territory[0] == "nationwide";
        foreach (var t in territory)
        {
            if (!nationwide && (t.Length is not (2 or 4 or 6) || !t.All(char.IsAsciiDigit)))
            {
                throw m.Error("territory", $"“{t}” 不是 2、4 或 6 位的区划代码前缀");
            }
        }

        var inForce = m.Map("inForce", true)!;
        var from = inForce.Date("from", true)!.Value;
        var until = inForce.Date("until");
        inForce.Done();
        if (until < from)
        {
            throw inForce.Error("until", "失效日期早于生效日期");
        }

        var citation = m.String("citation", true)!;
        if (citation is not ("article" or "item" or "outline"))
        {
            throw m.Error("citation", "应为 article、item 或 outline");
        }

        var doc = new PolicyDocument
        {
            Id = id,
            Title = m.String("title", true)!,
            Authority = m.String("authority", true)!,
            DocumentNumber = m.String("documentNumber"),
            Source = m.String("source"),
            Citation = citation,
            Territory = nationwide ? [] : territory,
            InForceFrom = from,
            InForceUntil = until,
            InForceLine = inForce.Line,
            Parent = Parent(m),
            Decisions = m.List("decisions").Select((n, i) => ReadDecision(YamlMap.Of(n, file, $"decisions[{i}]"))).ToList(),
            Scope = m.Map("scope") is { } s ? ReadScope(s) : new ScopeRules(),
            Duties = ReadDuties(m),
            Sanctions = m.List("sanctions").Select((n, i) => ReadSanction(YamlMap.Of(n, file, $"sanctions[{i}]"))).ToList(),
            Permit = m.Map("permit") is { } p ? ReadPermit(p) : new PermitRules(),
            Lifecycle = m.Map("lifecycle") is { } l ? ReadLifecycle(l) : new LifecycleRules(),
            Registration = m.Map("registration") is { } rg ? ReadRegistration(rg) : new RegistrationRules(),
            DataAccess = m.Map("dataAccess") is { } da ? ReadDataAccess(da) : new DataAccessRules(),
            Entitlements = m.Has("entitlements")
                ? m.List("entitlements").Select((n, i) => ReadEntitlement(YamlMap.Of(n, file, $"entitlements[{i}]"))).ToList()
                : null,
            Offences = m.List("offences").Select((n, i) => ReadOffence(YamlMap.Of(n, file, $"offences[{i}]"))).ToList(),
            FileName = file,
            Hash = hash,
        };
        m.Done();
        return doc;
    }

    private static string? Parent(YamlMap m)
    {
        if (!m.Has("parent"))
        {
            throw new PolicyLoadException(m.File, m.Line, "parent", "缺少必填项（基准政策写 parent: null）");
        }

        return m.String("parent");
    }

    private static Decision ReadDecision(YamlMap m)
    {
        var d = new Decision(m.String("key", true)!, m.String("choice", true)!, m.String("reason", true)!);
        m.Done();
        return d;
    }

    private static ScopeRules ReadScope(YamlMap m)
    {
        var scope = new ScopeRules
        {
            Crossing = m.Map("crossing") is { } c ? Cite(c, x =>
            {
                var level = x.String("level", true);
                return level switch
                {
                    "county" => CrossingLevel.County,
                    "prefecture" => CrossingLevel.Prefecture,
                    _ => throw x.Error("level", "应为 county 或 prefecture"),
                };
            }) : null,
            SameCityDistrictsExcluded = m.Map("sameCityDistricts") is { } d ? Cite(d, x => x.Bool("excluded") ?? throw x.Error("excluded", "缺少必填项")) : null,
            NotFloatingWithin = m.Map("notFloatingWithin") is { } g ? Cite(g, x => (IReadOnlyList<IReadOnlyList<string>>)x.List("groups", true)
                .Select((n, i) => n is YamlSequenceNode seq
                    ? (IReadOnlyList<string>)seq.Children.Select(c => Division(x, ((YamlScalarNode)c).Value)).ToList()
                    : throw YamlMap.Error(x.File, n, $"{x.Key("groups")}[{i}]", "应为区划代码列表")).ToList()) : null,
            MinimumStayDays = m.Map("minimumStayDays") is { } ms ? Cite(ms, x => x.Int("value", true)!.Value) : null,
            ExcludedCategories = m.Map("excludedCategories") is { } ec ? Cite(ec, x => (IReadOnlySet<PersonCategory>)Set<PersonCategory>(x, "values", Vocabulary.TryParse)) : null,
        };
        m.Done();
        return scope;
    }

    private static string Division(YamlMap m, string? code) =>
        code is { Length: 6 } && code.All(char.IsAsciiDigit) ? code : throw m.Error("groups", $"“{code}” 不是 6 位区划代码");

    private delegate bool Parser<T>(string? s, out T value);

    private static HashSet<T> Set<T>(YamlMap m, string key, Parser<T> parse)
        where T : struct, Enum
    {
        var set = new HashSet<T>();
        foreach (var s in m.Strings(key, true))
        {
            if (!parse(s, out var v))
            {
                throw m.Error(key, $"未知的取值 “{s}”（可选：{Vocabulary.Names<T>()}）");
            }

            set.Add(v);
        }

        return set;
    }

    private static Sourced<T> Cite<T>(YamlMap m, Func<YamlMap, T> read)
    {
        var v = read(m);
        var cited = new Sourced<T>(v, m.Article(), m.String("note"));
        m.Done();
        return cited;
    }

    private static Dictionary<string, DutyRule?> ReadDuties(YamlMap root)
    {
        var result = new Dictionary<string, DutyRule?>(StringComparer.Ordinal);
        var duties = root.Node("duties");
        if (YamlMap.IsNull(duties))
        {
            return result;
        }

        var map = YamlMap.Of(duties!, root.File, "duties");
        foreach (var id in map.Keys.ToList())
        {
            if (!IsDutyId(id))
            {
                throw map.Error(id, "义务 id 应为 “当事方.动作” 形式，如 person.register-residence");
            }

            var node = map.Node(id);
            result[id] = YamlMap.IsNull(node) ? null : ReadDuty(id, YamlMap.Of(node!, root.File, $"duties.{id}"));
        }

        map.Done();
        return result;
    }

    private static bool IsDutyId(string id)
    {
        var dot = id.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && dot < id.Length - 1 && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.');
    }

    private static DutyRule ReadDuty(string id, YamlMap m)
    {
        var partyText = m.String("party", true);
        if (!Vocabulary.TryParse(partyText, out Party party))
        {
            throw m.Error("party", $"未知的当事方 “{partyText}”（可选：{Vocabulary.Names<Party>()}）");
        }

        var from = Field(m, "from");
        var done = Field(m, "doneBy");
        var every = m.Period("every");
        var period = m.Period("period", required: every is null);
        var window = m.Period("window");
        var lapse = m.String("lapse");
        var lateYears = m.String("lateYears");
        if (every is not null && (window is null || lapse is null || lateYears is null))
        {
            throw m.Error(window is null ? "window" : lapse is null ? "lapse" : "lateYears", "周期性义务 (every) 须同时给出 window、lapse 和 lateYears");
        }

        if (every is null && (window ?? (object?)lapse ?? lateYears) is not null)
        {
            throw m.Error(window is not null ? "window" : lapse is not null ? "lapse" : "lateYears", "window、lapse、lateYears 只用于周期性义务 (every)");
        }

        if (lapse is not (null or "suspended" or "void"))
        {
            throw m.Error("lapse", "应为 suspended 或 void");
        }

        if (lateYears is not (null or "from-late-endorsement" or "continuous"))
        {
            throw m.Error("lateYears", "应为 from-late-endorsement 或 continuous");
        }

        if (period is { Unit: Periods.PeriodUnit.Hours } && from is not CaseField.LandlordMovedInAt and not CaseField.LandlordRegisteredAt)
        {
            throw m.Error("period", "以小时计的期间须从带时刻的字段起算（如 landlord.movedInAt）");
        }

        var when = m.Map("when");
        int? minDays = null, minAge = null;
        IReadOnlyList<string>? marital = null;
        if (when is not null)
        {
            minDays = when.Int("minIntendedDays");
            minAge = when.Int("minAge");
            marital = when.Has("maritalStatus") ? Ids(when, "maritalStatus", Evaluation.CaseParser.MaritalStatuses) : null;
            _ = when.String("note");
            when.Article();
            when.Done();
        }

        var exemptions = m.List("exemptions").Select((n, i) => ReadExemption(YamlMap.Of(n, m.File, $"{m.Path}.exemptions[{i}]"))).ToList();
        var duty = new DutyRule
        {
            Id = id,
            Party = party,
            From = from,
            DoneBy = done,
            Period = period,
            RemotePeriod = m.Period("remotePeriod"),
            Every = every,
            Window = window,
            Lapse = lapse,
            LateYears = lateYears,
            WhenMinIntendedDays = minDays,
            WhenMinAge = minAge,
            WhenMaritalStatus = marital,
            Exemptions = exemptions,
            Article = m.Article(),
            Note = m.String("note"),
        };
        m.Done();
        return duty;
    }

    private static CaseField Field(YamlMap m, string key)
    {
        var s = m.String(key, true);
        return CaseFields.TryParse(s, out var f) ? f : throw m.Error(key, $"未知的案例字段 “{s}”（可选：{CaseFields.All}）");
    }

    private static Exemption ReadExemption(YamlMap m)
    {
        var e = new Exemption
        {
            Lodging = m.Has("lodging") ? Set<Lodging>(m, "lodging", Vocabulary.TryParse) : null,
            Purposes = m.Has("purposes") ? Set<StayPurpose>(m, "purposes", Vocabulary.TryParse) : null,
            BelowAge = m.Int("belowAge"),
            Categories = m.Has("categories") ? Set<PersonCategory>(m, "categories", Vocabulary.TryParse) : null,
            Article = m.Article(),
            Note = m.String("note"),
        };
        if (e.Lodging is null && e.Purposes is null && e.BelowAge is null && e.Categories is null)
        {
            throw new PolicyLoadException(m.File, m.Line, m.Path, "豁免须给出 lodging、purposes、belowAge 或 categories 之一");
        }

        m.Done();
        return e;
    }

    private static SanctionRule ReadSanction(YamlMap m)
    {
        var partyText = m.String("party", true);
        if (!Vocabulary.TryParse(partyText, out Party party))
        {
            throw m.Error("party", $"未知的当事方 “{partyText}”");
        }

        PartyKind? kind = null;
        if (m.String("partyKind") is { } k)
        {
            kind = Vocabulary.TryParse(k, out PartyKind pk) ? pk : throw m.Error("partyKind", "应为 individual 或 organization");
        }

        if (!m.Has("fine"))
        {
            throw new PolicyLoadException(m.File, m.Line, m.Key("fine"), "缺少必填项（无罚款写 fine: null）");
        }

        var s = new SanctionRule
        {
            Duties = m.Strings("duties", true),
            Party = party,
            PartyKind = kind,
            OrderToCorrect = m.Bool("orderToCorrect") ?? throw new PolicyLoadException(m.File, m.Line, m.Key("orderToCorrect"), "缺少必填项"),
            Warning = m.Bool("warning") ?? false,
            Fine = Range(m, "fine"),
            SeriousFine = Range(m, "seriousFine"),
            FineOnlyIfUncorrected = m.Bool("fineOnlyIfUncorrected") ?? false,
            OrderTimeLimit = m.Map("orderTimeLimit") is { } limit ? Life(limit, x => OptionalPeriod(x)) : null,
            Article = m.Article(),
            Note = m.String("note"),
        };
        m.Done();
        return s;
    }

    private static FineRange? Range(YamlMap m, string key)
    {
        var r = m.Map(key);
        if (r is null)
        {
            return null;
        }

        var min = r.Int("minYuan", true)!.Value;
        var max = r.Int("maxYuan", true)!.Value;
        if (min < 0 || max < min)
        {
            throw r.Error("maxYuan", "罚款上限应不小于下限，且均不为负");
        }

        r.Done();
        return new FineRange(min, max);
    }

    private static PermitRules ReadPermit(YamlMap m)
    {
        var p = new PermitRules
        {
            Article = m.String("article"),
            Residence = m.Map("residence") is { } r ? ReadResidence(r) : null,
            AnyOf = m.Map("anyOf") is { } a ? Cite(a, x => (IReadOnlyList<FactCondition>)x.List("conditions", true)
                .Select((n, i) => ReadFactCondition(YamlMap.Of(n, x.File, $"{x.Key("conditions")}[{i}]"))).ToList()) : null,
            WaivedBy = m.Map("waivedBy") is { } w ? Cite(w, x => (IReadOnlyList<PermitFact>)x.Strings("facts", true)
                .Select(f => ParseFact(x, "facts", f)).ToList()) : null,
            MinAge = m.Map("minAge") is { } ma ? Cite(ma, x => x.Int("value", true)!.Value) : null,
            Categories = m.Map("categories") is { } c ? Cite(c, x => (IReadOnlySet<PersonCategory>)Set<PersonCategory>(x, "values", Vocabulary.TryParse)) : null,
            ExcludedPurposes = m.Map("excludedPurposes") is { } ep ? Cite(ep, x => (IReadOnlySet<StayPurpose>)Set<StayPurpose>(x, "values", Vocabulary.TryParse)) : null,
            Validity = m.Map("validity") is { } v ? Cite(v, x => x.Period("period", true)!.Value) : null,
            Fees = m.Has("fees") ? ReadFees(m) : null,
            Floor = m.Map("floor") is { } fl ? ReadFloor(fl) : null,
        };
        m.Done();
        if (p.Floor is not null && (p.Residence is null || p.AnyOf is null))
        {
            throw m.Error("floor", "floor 须与本文件的 residence 和 anyOf 一同给出");
        }

        return p;
    }

    private static FloorRule ReadFloor(YamlMap m)
    {
        var f = new FloorRule(m.Article(), m.String("note"));
        m.Done();
        return f;
    }

    private static ResidenceCondition ReadResidence(YamlMap m)
    {
        var period = m.Period("period");
        var days = m.Int("minIntendedDays");
        if ((period is null) == (days is null))
        {
            throw new PolicyLoadException(m.File, m.Line, m.Path, "居住条件须给出 period 或 minIntendedDays 之一");
        }

        if (period is { Unit: Periods.PeriodUnit.Hours or Periods.PeriodUnit.WorkingDays })
        {
            throw m.Error("period", "居住期限应以日、月或年计");
        }

        var r = new ResidenceCondition(period, days, m.Article(), m.String("note"))
        {
            Continuity = m.Map("continuity") is { } c ? ReadContinuity(c, period is null) : null,
        };
        m.Done();
        return r;
    }

    private static ResidenceContinuity ReadContinuity(YamlMap m, bool noPeriod)
    {
        if (noPeriod)
        {
            throw new PolicyLoadException(m.File, m.Line, m.Path, "continuity 只适用于按登记起算的居住期限 (period)");
        }

        if (m.String("within", true) is not "county")
        {
            throw m.Error("within", "应为 county");
        }

        var areas = m.Strings("sameArea");
        if (areas.Any(a => a.Trim().Length == 0))
        {
            throw m.Error("sameArea", "区域名称不能为空");
        }

        var c = new ResidenceContinuity(areas, m.Article(), m.String("note"));
        m.Done();
        return c;
    }

    // Facts are written in camelCase as in the contract (talentOrInvestor); the enum is PascalCase.
    private static PermitFact ParseFact(YamlMap m, string key, string? s) =>
        s is { Length: > 0 } && char.IsAsciiLetterLower(s[0])
            && Enum.TryParse<PermitFact>(s, ignoreCase: true, out var f)
            ? f
            : throw m.Error(key, $"未知的事实 “{s}”");

    private static FactCondition ReadFactCondition(YamlMap m)
    {
        var name = m.String("fact", true);
        if (!Enum.TryParse<PermitFact>(name, ignoreCase: true, out var fact) || !char.IsAsciiLetterLower(name![0]))
        {
            throw m.Error("fact", $"未知的事实 “{name}”");
        }

        var numeric = fact <= PermitFact.AgriculturalContractMonths;
        var atLeast = m.Int("atLeast");
        if (numeric && atLeast is null)
        {
            throw new PolicyLoadException(m.File, m.Line, m.Key("atLeast"), "数值事实须给出 atLeast");
        }

        if (!numeric && atLeast is not null)
        {
            throw m.Error("atLeast", "是否事实不带 atLeast");
        }

        m.Done();
        return new FactCondition(fact, atLeast ?? 1);
    }

    /// <summary>Fee ids: the permit operations, plus shandong's free residence registration.</summary>
    internal static readonly string[] FeeIds = ["first-issue", "renewal", "replacement", "reissue", "endorsement", "residence-registration"];

    private static Fee ReadFee(YamlMap m)
    {
        var id = m.String("id", true)!;
        if (!FeeIds.Contains(id, StringComparer.Ordinal))
        {
            throw m.Error("id", $"未知的收费项目 “{id}”（可选：{string.Join(", ", FeeIds)}）");
        }

        if (!m.Has("yuan"))
        {
            throw new PolicyLoadException(m.File, m.Line, m.Key("yuan"), "缺少必填项（工本费另定写 yuan: null）");
        }

        var yuan = m.Int("yuan");
        if (yuan < 0)
        {
            throw m.Error("yuan", "收费不能为负");
        }

        // As a lifecycle value: an article, or `silent: true` where the text says nothing of this fee.
        var article = m.String("article");
        CitedOrSilent(m, "article", article is not null);

        var f = new Fee(id, yuan, article, m.String("note"));
        m.Done();
        return f;
    }

    private static List<Fee> ReadFees(YamlMap m)
    {
        var fees = m.List("fees").Select((n, i) => ReadFee(YamlMap.Of(n, m.File, $"{m.Path}.fees[{i}]"))).ToList();
        var dup = fees.GroupBy(f => f.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return dup is null ? fees : throw m.Error("fees", $"收费项目 “{dup.Key}” 重复");
    }

    /// <summary>Fields a registration record may contain (山西2017 第十一条's list, 山西2013 第九條 adds the issuer and date).</summary>
    internal static readonly string[] RegistrationFields =
    [
        "name", "sex", "ethnic-group", "birth-date", "id-number", "photo", "hukou-address", "residence-address", "workplace",
        "education", "employment", "social-insurance", "family-planning", "accompanying-children", "issuer-and-date",
    ];

    private static RegistrationRules ReadRegistration(YamlMap m)
    {
        var r = new RegistrationRules
        {
            Contents = m.Map("contents") is { } c ? Life(c, x => Ids(x, "items", RegistrationFields)) : null,
            AccompanyingChildBelowAge = m.Map("accompanyingChildBelowAge") is { } a ? Life(a, x =>
            {
                var v = x.Int("value", true)!.Value;
                return v is >= 1 and <= 18 ? v : throw x.Error("value", "年龄应在 1 至 18 之间");
            }) : null,
        };
        m.Done();
        return r;
    }

    /// <summary>Departments with a field view of registrations (roles <c>dept-…</c> in Access/access.json).</summary>
    internal static readonly string[] DepartmentIds = ["health", "hrss", "education", "civil-affairs", "housing", "justice"];

    private static DataAccessRules ReadDataAccess(YamlMap m)
    {
        ExternalCitation? purpose = null;
        if (m.Map("purposeLimitation") is { } p)
        {
            purpose = new ExternalCitation(p.String("law", true)!, p.String("note"));
            p.Done();
        }

        var departments = new Dictionary<string, DepartmentDuty>(StringComparer.Ordinal);
        if (m.Map("departments") is { } d)
        {
            foreach (var id in d.Keys.ToList())
            {
                if (!DepartmentIds.Contains(id, StringComparer.Ordinal))
                {
                    throw d.Error(id, $"未知的部门（可选：{string.Join(", ", DepartmentIds)}）");
                }

                var x = d.Map(id, true)!;
                var articles = x.Strings("articles");
                var silent = CitedOrSilent(x, "articles", articles.Count > 0);

                departments[id] = new DepartmentDuty(articles, silent, x.String("note"));
                x.Done();
            }

            d.Done();
        }

        var r = new DataAccessRules
        {
            PurposeLimitation = purpose,
            Confidentiality = m.Map("confidentiality") is { } c ? Life(c, _ => true) : null,
            Departments = departments,
        };
        m.Done();
        return r;
    }

    private static readonly string[] DeathReporters = ["close-relative", "landlord", "employer"];

    /// <summary>Grounds of cancellation and confiscation (收缴) for a permit obtained by fraud or forged/altered.</summary>
    internal static readonly string[] ConfiscationGroundIds = ["obtained-by-fraud", "forged-or-altered"];

    /// <summary>Issuing organs: the county-level public security bureau (县级人民政府公安机关), or public security organs unspecified.</summary>
    internal static readonly string[] IssuerLevels = ["county-public-security-bureau", "public-security-organ"];

    private static List<ConfiscationGround> ReadConfiscation(YamlMap m)
    {
        var grounds = m.List("confiscation").Select((n, i) =>
        {
            var x = YamlMap.Of(n, m.File, $"{m.Key("confiscation")}[{i}]");
            var id = x.String("id", true)!;
            if (!ConfiscationGroundIds.Contains(id, StringComparer.Ordinal))
            {
                throw x.Error("id", $"未知的收缴事由 “{id}”（可选：{string.Join(", ", ConfiscationGroundIds)}）");
            }

            var g = new ConfiscationGround(id, x.Article(), x.String("note"));
            x.Done();
            return g;
        }).ToList();
        var dup = grounds.GroupBy(g => g.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return dup is null ? grounds : throw m.Error("confiscation", $"收缴事由 “{dup.Key}” 重复");
    }
    private static readonly string[] ProxyRelationIds = ["guardian", "close-relative"];
    private static readonly string[] ProxyGroundIds = ["minor", "elderly-limited-mobility", "disabled-limited-mobility"];

    private static LifecycleRules ReadLifecycle(YamlMap m)
    {
        var l = new LifecycleRules
        {
            ChangeWithin = m.Map("change") is { } c ? Life(c, x => OptionalPeriod(x)) : null,
            CrossStationClosesOld = m.Map("crossStationClosesOld") is { } x1 ? Life(x1, x => RequiredBool(x, "value")) : null,
            CancelBeforeLeaving = m.Map("cancelBeforeLeaving") is { } c1 ? Life(c1, x => OptionalPeriod(x)) : null,
            CancelAfterSettling = m.Map("cancelAfterSettling") is { } c2 ? Life(c2, x => OptionalPeriod(x)) : null,
            DeathReportedBy = m.Map("deathReportedBy") is { } d ? Life(d, x => Ids(x, "values", DeathReporters)) : null,
            CancelAfterDeath = m.Map("cancelAfterDeath") is { } cd ? Life(cd, x => OptionalPeriod(x)) : null,
            ReturnException = m.Map("returnException") is { } r ? Life(r, x => OptionalPeriod(x)) : null,
            RenewWithin = m.Map("renewWithin") is { } rw ? Life(rw, x => OptionalPeriod(x, windowOnly: true)) : null,
            RenewBy = m.Map("renewBy") is { } rb ? Life(rb, x => OptionalPeriod(x, windowOnly: true)) : null,
            ProxyUnderAge = m.Map("proxyUnderAge") is { } pa ? Life(pa, x =>
            {
                // `value: null`: no proxy by age (山西2013 第十六條: under-16s hold no permit at all).
                if (!x.Has("value"))
                {
                    throw new PolicyLoadException(x.File, x.Line, x.Key("value"), "缺少必填项（无按年龄代为申领写 value: null）");
                }

                var v = x.Int("value", false);
                return v is null or (>= 1 and <= 150) ? v : throw x.Error("value", "年龄应在 1 至 150 之间");
            }) : null,
            ProxyRelations = m.Map("proxyRelations") is { } pr ? Life(pr, x => Ids(x, "values", ProxyRelationIds)) : null,
            ProxyGrounds = m.Map("proxyGrounds") is { } pg ? Life(pg, x => Ids(x, "values", ProxyGroundIds)) : null,
            Materials = m.Map("materials") is { } ma ? Life(ma, ReadMaterials) : null,
            EarlierPermitsStayValid = m.Map("earlierPermitsStayValid") is { } e ? Life(e, x => RequiredBool(x, "value")) : null,
            Confiscation = m.Has("confiscation") ? ReadConfiscation(m) : null,
            OnePermitPerPerson = m.Map("onePermitPerPerson") is { } op ? Life(op, x => RequiredBool(x, "value")) : null,
            ReplacementReturnsOldCard = m.Map("replacementReturnsOldCard") is { } rr ? Life(rr, x => RequiredBool(x, "value")) : null,
            IssuedBy = m.Map("issuedBy") is { } ib ? Life(ib, x => OneOf(x, "value", IssuerLevels)) : null,
            EndorsementRequires = m.Map("endorsementRequires") is { } er
                ? Life(er, x => new EndorsementRequirement(RequiredBool(x, "conditions"), RequiredBool(x, "materials")))
                : null,
            RefusalReasons = m.Map("refusalReasons") is { } rs ? Life(rs, x => RequiredBool(x, "value")) : null,
            RefusalRemedies = m.Map("refusalRemedies") is { } rm ? Life(rm, x =>
            {
                var items = x.Strings("items", true);
                return items.Count > 0 && items.All(i => i.Length > 0) ? items : throw x.Error("items", "至少写一项救济途径");
            }) : null,
        };
        m.Done();
        return l;
    }

    // A lifecycle value cites its article, or says `silent: true` where the text states nothing
    // (the value is then the reading recorded under `decisions`).
    /// <summary>
    /// A value cites its <paramref name="key"/> (article or articles) or says <c>silent: true</c>, never both, never
    /// neither; returns whether it is silent.
    /// </summary>
    private static bool CitedOrSilent(YamlMap m, string key, bool cited)
    {
        var silent = m.Bool("silent") ?? false;
        return silent != cited
            ? silent
            : throw new PolicyLoadException(m.File, m.Line, m.Key(key), silent ? $"silent: true 时不写 {key}" : $"缺少条款 ({key})，或写 silent: true");
    }

    private static LifecycleValue<T> Life<T>(YamlMap m, Func<YamlMap, T> read)
    {
        var v = read(m);
        var article = m.String("article");
        CitedOrSilent(m, "article", article is not null);

        var value = new LifecycleValue<T>(v, article, m.String("note"));
        m.Done();
        return value;
    }

    private static Periods.Period? OptionalPeriod(YamlMap m, bool windowOnly = false)
    {
        if (!m.Has("period"))
        {
            throw new PolicyLoadException(m.File, m.Line, m.Key("period"), "缺少必填项（无此期间写 period: null）");
        }

        var p = m.Period("period");
        if (p is { Unit: Periods.PeriodUnit.Hours } || (windowOnly && p is { Unit: Periods.PeriodUnit.WorkingDays }))
        {
            throw m.Error("period", windowOnly ? "窗口期只能以日、月或年计" : "此期间不能以小时计");
        }

        return p;
    }

    private static bool RequiredBool(YamlMap m, string key) =>
        m.Bool(key) ?? throw new PolicyLoadException(m.File, m.Line, m.Key(key), "缺少必填项 (true 或 false)");

    private static string OneOf(YamlMap m, string key, string[] allowed)
    {
        var v = m.String(key, true)!;
        return allowed.Contains(v, StringComparer.Ordinal) ? v : throw m.Error(key, $"未知的取值 “{v}”（可选：{string.Join(", ", allowed)}）");
    }

    private static IReadOnlyList<string> Ids(YamlMap m, string key, string[] allowed)
    {
        if (!m.Has(key))
        {
            throw new PolicyLoadException(m.File, m.Line, m.Key(key), "缺少必填项");
        }

        var values = m.Strings(key);
        foreach (var v in values)
        {
            if (!allowed.Contains(v, StringComparer.Ordinal))
            {
                throw m.Error(key, $"未知的取值 “{v}”（可选：{string.Join(", ", allowed)}）");
            }
        }

        return values.Distinct(StringComparer.Ordinal).Count() == values.Count ? values : throw m.Error(key, "取值重复");
    }

    private static IReadOnlyList<Material> ReadMaterials(YamlMap m)
    {
        var items = m.List("items", true).Select((n, i) =>
        {
            var x = YamlMap.Of(n, m.File, $"{m.Key("items")}[{i}]");
            var id = x.String("id", true)!;
            if (!IsKebab(id))
            {
                throw x.Error("id", "材料 id 应为小写英文短横线形式，如 identity-card");
            }

            var material = new Material(id, x.String("label", true)!);
            x.Done();
            return material;
        }).ToList();
        if (items.Count == 0)
        {
            throw m.Error("items", "至少列出一项材料");
        }

        var dup = items.GroupBy(i => i.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return dup is null ? items : throw m.Error("items", $"材料 “{dup.Key}” 重复");
    }

    private static bool IsKebab(string id) =>
        id.Length > 0 && char.IsAsciiLetterLower(id[0]) && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    private static EntitlementRule ReadEntitlement(YamlMap m)
    {
        var kind = m.String("kind", true)!;
        if (kind is not ("right" or "service" or "convenience"))
        {
            throw m.Error("kind", "应为 right、service 或 convenience");
        }

        var holder = m.String("holder", true)!;
        if (holder is not ("permit" or "registration"))
        {
            throw m.Error("holder", "应为 permit 或 registration");
        }

        var e = new EntitlementRule(m.String("id", true)!, kind, holder, m.Article(), m.String("note"));
        m.Done();
        return e;
    }

    private static OffenceRule ReadOffence(YamlMap m)
    {
        var o = new OffenceRule(m.String("id", true)!, m.String("summary", true)!, Range(m, "fine"), Range(m, "seriousFine"), m.Article(), m.String("note"));
        m.Done();
        return o;
    }

    private static void Validate(List<PolicyDocument> docs)
    {
        var byId = new Dictionary<string, PolicyDocument>(StringComparer.Ordinal);
        foreach (var d in docs)
        {
            if (!byId.TryAdd(d.Id, d))
            {
                throw new PolicyLoadException(d.FileName, 1, "id", $"政策 id “{d.Id}” 重复");
            }
        }

        foreach (var d in docs)
        {
            if (d.Parent is not null && !byId.ContainsKey(d.Parent))
            {
                throw new PolicyLoadException(d.FileName, 1, "parent", $"上位政策 “{d.Parent}” 不存在");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal) { d.Id };
            for (var p = d.Parent; p is not null; p = byId[p].Parent)
            {
                if (!seen.Add(p))
                {
                    throw new PolicyLoadException(d.FileName, 1, "parent", "上位政策形成循环");
                }
            }

            if (d.Parent is null && !d.Nationwide)
            {
                throw new PolicyLoadException(d.FileName, 1, "parent", "只有全国基准政策可以没有上位政策");
            }
        }

        for (var i = 0; i < docs.Count; i++)
        {
            for (var j = i + 1; j < docs.Count; j++)
            {
                var (a, b) = (docs[i], docs[j]);
                var sameTerritory = (a.Nationwide && b.Nationwide) || a.Territory.Intersect(b.Territory, StringComparer.Ordinal).Any();
                var overlap = a.InForceFrom <= (b.InForceUntil ?? DateOnly.MaxValue) && b.InForceFrom <= (a.InForceUntil ?? DateOnly.MaxValue);
                if (sameTerritory && overlap && !SameSubject(a, b))
                {
                    throw new PolicyLoadException(b.FileName, b.InForceLine, "inForce",
                        $"与 {a.FileName} 对同一区域 ({string.Join(",", b.Territory.DefaultIfEmpty("nationwide"))}) 的施行期间重叠");
                }
            }
        }
    }

    // Two documents for one territory may overlap when one is layered over the other (新疆 2011
    // measures over the 2008 family-planning measures): the parent link says they are meant together.
    private static bool SameSubject(PolicyDocument a, PolicyDocument b) => a.Parent == b.Id || b.Parent == a.Id;
}
