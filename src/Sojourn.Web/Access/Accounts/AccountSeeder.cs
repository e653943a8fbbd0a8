using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Security;
using Sojourn.Domain;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Access.Accounts;

/// <summary>
/// Demo accounts, one per role (Sojourn:Seed:Demo; README 演示账号). Development only: the password
/// and the TOTP secret are published in README.
/// </summary>
internal sealed class AccountSeeder(
    SojournDbContext db, UserManager<SojournUser> users, IdentityProtector protector, IConfiguration configuration,
    TimeProvider time, ILogger<AccountSeeder> logger) : IStartupSeeder
{
    public const string DemoPassword = "Sojourn-Demo-2026";

    /// <summary>Base32 TOTP secret of every demo account that needs a second factor.</summary>
    public const string DemoTotpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    private sealed record Demo(string UserName, string Role, string Office, string Divisions, string Stations);

    private static readonly Demo[] Accounts =
    [
        new("demo-migrant", Roles.Migrant, "", "", ""),
        new("demo-reporter", Roles.Reporter, "太原市小店区某建筑工程有限公司", "", ""),
        new("demo-collector", Roles.Collector, "小店区亲贤街道亲贤社区", "140105", ""),
        new("demo-officer", Roles.Officer, "太原市公安局小店分局亲贤派出所", "140105", "140105000001"),
        new("demo-chief", Roles.StationChief, "太原市公安局小店分局亲贤派出所", "140105", "140105000001"),
        new("demo-health", Roles.Health, "小店区卫生健康局", "140105", ""),
        new("demo-hrss", Roles.HumanResources, "小店区人力资源和社会保障局", "140105", ""),
        new("demo-education", Roles.Education, "小店区教育局", "140105", ""),
        new("demo-civil", Roles.CivilAffairs, "小店区民政局", "140105", ""),
        new("demo-housing", Roles.Housing, "小店区住房和城乡建设局", "140105", ""),
        new("demo-justice", Roles.Justice, "小店区司法局", "140105", ""),
        new("demo-analyst", Roles.Analyst, "太原市统计局", "1401", ""),
        new("demo-admin", Roles.Administrator, "系统管理", "", ""),
        // A second administrator: account requests take a second person (docs/adr/0005-account-separation-of-duties.md).
        new("demo-admin2", Roles.Administrator, "系统管理（审批）", "", ""),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Sojourn:Seed:Demo", false) || await db.Users.AnyAsync(cancellationToken))
        {
            return;
        }

        // The migrant is 王建国 of the demo registrations (DemoSeeder: 130102 19860412 031).
        const string first17 = "13010219860412031";
        var migrantHmac = protector.LookupHash(first17 + CitizenId.ComputeCheckCharacter(first17));
        foreach (var demo in Accounts)
        {
            var user = new SojournUser
            {
                UserName = demo.UserName,
                Role = demo.Role,
                Office = demo.Office,
                DisplayName = demo.UserName,
                Divisions = demo.Divisions,
                Stations = demo.Stations,
                PersonIdHmac = demo.Role == Roles.Migrant ? migrantHmac : null,
                CreatedAt = time.GetUtcNow().UtcDateTime,
            };
            var result = await users.CreateAsync(user, DemoPassword);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException("Demo account: " + string.Join("; ", result.Errors.Select(e => e.Code)));
            }

            if (Roles.RequiresSecondFactor(demo.Role))
            {
                // Where Identity's user store keeps the authenticator key.
                await users.SetAuthenticationTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey", DemoTotpSecret);
                await users.SetTwoFactorEnabledAsync(user, true);
            }
        }

        logger.LogInformation("Seeded {Count} demo accounts", Accounts.Length.ToString(CultureInfo.InvariantCulture));
    }
}
