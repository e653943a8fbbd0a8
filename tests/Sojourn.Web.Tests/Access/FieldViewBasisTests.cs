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
    public void Basis_Department_CitesDutyArticleAndMinimisation(string role)
    {
        var view = Policy.ViewFor(role)!;

        Assert.Matches("山西2017 第[一二三四五六七八九十]+条", view.Basis);
        Assert.Contains("大同2014 第", view.Basis, StringComparison.Ordinal);
        Assert.Contains("个人信息保护法 第六条", view.Basis, StringComparison.Ordinal);
        Assert.Contains("第二十三条", view.Basis, StringComparison.Ordinal);
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
