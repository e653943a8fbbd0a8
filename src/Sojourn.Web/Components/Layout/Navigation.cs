using Sojourn.Data.Access;

namespace Sojourn.Web.Components.Layout;

/// <summary>A menu entry: where it goes, its label in both languages, its icon, and the roles that see it.</summary>
internal sealed record NavItem(string Href, string Zh, string En, string Icon, IReadOnlyList<string> Roles);

/// <summary>
/// The menu of every role, in one place: a page shows only what the role may do there, and so does the menu. Each
/// module adds its entries here; a page's own [Authorize] attribute is what enforces access.
/// </summary>
internal static class Navigation
{
    private static readonly string[] Station = [Roles.Officer, Roles.StationChief];

    public static readonly IReadOnlyList<NavItem> Items =
    [
        new("/", "首页", "Home", MudBlazor.Icons.Material.Filled.Home, [.. Roles.All]),
        new("/policies", "政策浏览", "Policies", MudBlazor.Icons.Material.Filled.Gavel, [.. Roles.All]),
        new("/station", "派出所工作台", "Station workbench", MudBlazor.Icons.Material.Filled.LocalPolice, Station),
        new("/station/search", "查询人员", "Search a person", MudBlazor.Icons.Material.Filled.PersonSearch, Station),
        new("/station/leads", "举报线索", "Tip-off leads", MudBlazor.Icons.Material.Filled.Campaign, Station),
        new("/station/sweep", "每日巡检", "Daily sweep", MudBlazor.Icons.Material.Filled.EventRepeat, [Roles.StationChief]),
        new("/stats", "登记统计", "Statistics", MudBlazor.Icons.Material.Filled.BarChart, [Roles.Analyst, Roles.StationChief]),
        new("/collect", "快速采集", "Quick capture", MudBlazor.Icons.Material.Filled.AddTask, [Roles.Collector]),
        new("/chief", "所长工作台", "Station chief", MudBlazor.Icons.Material.Filled.VerifiedUser, [Roles.StationChief]),
        new("/admin", "系统管理", "Administration", MudBlazor.Icons.Material.Filled.AdminPanelSettings, [Roles.Administrator]),
        new("/dept", "部门数据查询", "Department records", MudBlazor.Icons.Material.Filled.Domain, [.. Roles.Departments]),
        new("/report", "报送工作台", "Reporting", MudBlazor.Icons.Material.Filled.AssignmentInd, [Roles.Reporter]),
        new("/me", "我的登记与居住证", "My registrations and permits", MudBlazor.Icons.Material.Filled.Person, [Roles.Migrant]),
    ];

    /// <summary>Where each role lands after signing in.</summary>
    public static string HomeOf(string? role) => role switch
    {
        Roles.Migrant => "/me",
        Roles.Officer or Roles.StationChief => "/station",
        Roles.Collector => "/collect",
        Roles.Administrator => "/admin",
        Roles.Analyst => "/stats",
        Roles.Reporter => "/report",
        _ when role is not null && Roles.IsDepartment(role) => "/dept",
        _ => "/",
    };

    public static IEnumerable<NavItem> For(string? role) => role is null ? [] : Items.Where(i => i.Roles.Contains(role));

    internal static IReadOnlyList<string> StationRoles => Station;
}
