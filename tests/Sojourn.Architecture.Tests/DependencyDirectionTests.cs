using System.Reflection;

namespace Sojourn.Architecture.Tests;

/// <summary>
/// Keeps the dependency direction of docs (architecture.md): Domain uses nothing of ours and no
/// framework beyond the base library; Rules and Data use Domain only; neither knows the web host.
/// Credentials and Documents (no EF Core) use no project of ours: Data, Web and the CLI use them.
/// </summary>
public class DependencyDirectionTests
{
    private static readonly Assembly Domain = typeof(Sojourn.Domain.CitizenId).Assembly;
    private static readonly Assembly Rules = typeof(Sojourn.Rules.AssemblyMarker).Assembly;
    private static readonly Assembly Data = typeof(Sojourn.Data.AssemblyMarker).Assembly;
    private static readonly Assembly Credentials = typeof(Sojourn.Credentials.IssuerKeyRing).Assembly;
    private static readonly Assembly Documents = typeof(Sojourn.Documents.PdfRenderer).Assembly;

    private static string[] References(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name ?? "").ToArray();

    [Fact]
    public void Domain_ReferencesNoOtherProjectOrFramework()
    {
        var refs = References(Domain);
        Assert.DoesNotContain(refs, r => r.StartsWith("Sojourn.", StringComparison.Ordinal));
        Assert.DoesNotContain(refs, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
            || r.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)
            || r.StartsWith("Npgsql", StringComparison.Ordinal));
    }

    [Fact]
    public void Rules_ReferencesDomainOnlyAmongProjects()
    {
        var ours = References(Rules).Where(r => r.StartsWith("Sojourn.", StringComparison.Ordinal));
        Assert.Equal(["Sojourn.Domain"], ours);
        Assert.DoesNotContain(References(Rules), r => r.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
    }

    [Fact]
    public void Data_DoesNotReferenceWebOrCli()
    {
        var ours = References(Data).Where(r => r.StartsWith("Sojourn.", StringComparison.Ordinal)).ToArray();
        Assert.DoesNotContain("Sojourn.Web", ours);
        Assert.DoesNotContain("sojourn", ours);
        Assert.DoesNotContain(References(Data), r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void Credentials_ReferencesNoOtherProjectNorEfCore()
    {
        Assert.Equal("Sojourn.Credentials", Credentials.GetName().Name);
        Assert.DoesNotContain(References(Credentials), r => r.StartsWith("Sojourn.", StringComparison.Ordinal));
        Assert.DoesNotContain(References(Credentials), r => r.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)
            || r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void Documents_ReferencesNoOtherProjectNorEfCore()
    {
        Assert.Equal("Sojourn.Documents", Documents.GetName().Name);
        Assert.DoesNotContain(References(Documents), r => r.StartsWith("Sojourn.", StringComparison.Ordinal));
        Assert.DoesNotContain(References(Documents), r => r.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)
            || r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }
}
