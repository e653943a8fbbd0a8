using Sojourn.Data.Access;
using Sojourn.Web.Access;

namespace Sojourn.Web.Tests.Access;

/// <summary>
/// Each department's field view cites the article that gives the department its duty (not only the
/// minimisation rule) and shows no field outside that duty.
/// </summary>
public sealed class FieldViewBasisTests
{
    private static readonly AccessPolicy Policy = AccessPolicy.Load();

    public static TheoryData<string> Departments => [.. Roles.Departments];

    [Theory]
    [MemberData(nameof(Departments))]
    public void Basis_Department_MinimisationHereDutyFromThePolicies(string role)
    {
        var view = Policy.ViewFor(role)!;

        // The file says why these fields; which articles give the department its duty is per jurisdiction.
        Assert.Contains("个人信息保护法 第六条", view.Basis, StringComparison.Ordinal);
        Assert.DoesNotContain("山西", view.Basis, StringComparison.Ordinal);
        Assert.DoesNotContain("大同", view.Basis, StringComparison.Ordinal);
        Assert.DoesNotContain("临沂", view.Basis, StringComparison.Ordinal);
        Assert.NotNull(view.Department);
    }

    [Theory]
    [InlineData(Roles.Health, "140105", "《山西省流动人口服务管理办法》第六条", "第二十三条", "山东")]
    [InlineData(Roles.Health, "370202", "《山东省流动人口服务管理暂行办法》第六条", "《居住证暂行条例》第十七条", "山西")]
    [InlineData(Roles.Education, "331002", "《居住证暂行条例》第五条", "《居住证暂行条例》第十七条", "山西")]
    [InlineData(Roles.Justice, "640104", "《宁夏回族自治区流动人口服务管理办法》第三十三条", "《居住证暂行条例》第十七条", "大同")]
    [InlineData(Roles.CivilAffairs, "650102", "第十一", "《居住证暂行条例》第十七条", "山西")]
    public void BasisFor_DepartmentAndJurisdiction_ArticlesOfThatJurisdiction(string role, string division, string duty, string confidentiality, string absent)
    {
        var basis = Policy.ViewFor(role)!.BasisFor(division, new DateOnly(2026, 6, 1));

        Assert.Contains(duty, basis, StringComparison.Ordinal);
        Assert.Contains(confidentiality, basis, StringComparison.Ordinal);
        Assert.DoesNotContain(absent, basis, StringComparison.Ordinal);
        Assert.Contains("个人信息保护法 第六条", basis, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Roles.Health, "employment", "workplace", "socialInsurance", "education")]
    [InlineData(Roles.HumanResources, "maritalStatus", "marriageBirthCertificate", "children", "residenceAddress")]
    [InlineData(Roles.Education, "idNumber", "employment", "maritalStatus", "socialInsurance")]
    [InlineData(Roles.CivilAffairs, "maritalStatus", "marriageBirthCertificate", "employment", "workplace")]
    [InlineData(Roles.Housing, "maritalStatus", "children", "employment", "socialInsurance")]
    [InlineData(Roles.Justice, "sex", "maritalStatus", "children", "employment")]
    public void Fields_Department_NothingOutsideItsDuty(string role, params string[] outside)
    {
        var view = Policy.ViewFor(role)!;

        Assert.All(outside, f => Assert.False(view.Shows(f), $"{role} shows {f}"));
        Assert.Equal("masked", view.IdNumber);
    }
}
