using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;

namespace Sojourn.Web.Tests.Access;

/// <summary>
/// Every page of the web application says who may open it: [Authorize] with roles, or [AllowAnonymous] for the
/// public ones (fail closed: a page that says neither would be open to anyone signed in, whatever their role).
/// </summary>
public sealed class PageAuthorizationTests
{
    private static readonly string[] PublicPages = ["/", "/policies"];

    [Fact]
    public void EveryPage_DeclaresWhoMayOpenIt()
    {
        var pages = typeof(Program).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes<RouteAttribute>().Any())
            .ToList();
        Assert.NotEmpty(pages);
        var open = pages.Where(t => t.GetCustomAttribute<AuthorizeAttribute>() is null && t.GetCustomAttribute<AllowAnonymousAttribute>() is null
                && !t.GetCustomAttributes<RouteAttribute>().All(r => PublicPages.Contains(r.Template)))
            .Select(t => t.FullName).ToList();
        Assert.True(open.Count == 0, "Pages without [Authorize] or [AllowAnonymous]: " + string.Join(", ", open));
    }

    [Fact]
    public void AuthorizedPages_NameRoles()
    {
        var vague = typeof(Program).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes<RouteAttribute>().Any() && t.GetCustomAttribute<AuthorizeAttribute>() is { Roles: null or "" })
            .Select(t => t.FullName).ToList();
        Assert.True(vague.Count == 0, "Pages open to every role (name the roles): " + string.Join(", ", vague));
    }
}
