using System.Reflection;

namespace Sojourn.Architecture.Tests;

/// <summary>The use-case layer knows no HTTP: pages, jobs and the CLI call the same use cases as the endpoints.</summary>
public sealed class ApplicationLayerTests
{
    private static readonly Assembly Application = typeof(Sojourn.Application.Permits.GetPermitUseCase).Assembly;

    [Fact]
    public void Application_ReferencesNoAspNetCoreAndNoHost()
    {
        var refs = Application.GetReferencedAssemblies().Select(a => a.Name ?? "").ToArray();
        Assert.DoesNotContain(refs, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(refs, r => r is "Sojourn.Web" or "sojourn" or "Sojourn.Cli");
    }

    [Fact]
    public void Application_NoTypeExposesAnHttpType()
    {
        var http = Application.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType))
                .Select(p => $"{t.FullName}: {p.FullName}"))
            .Where(s => s.Contains("Microsoft.AspNetCore", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(http);
    }
}
