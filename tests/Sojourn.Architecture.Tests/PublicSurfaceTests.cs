using Mono.Cecil;

namespace Sojourn.Architecture.Tests;

/// <summary>
/// Internal by default: the public types of the libraries and of the host are exactly those listed in
/// <c>PublicSurface.txt</c> (read from the compiled assemblies with Mono.Cecil). A new public type fails here until it
/// is added to the list, so widening a surface is a deliberate act; a type made internal is struck from the list the
/// same way, so the list stays the surface as it is. The tests reach internals through InternalsVisibleTo.
/// Generated types whose accessibility is not ours to choose are left out: Razor components (the Razor compiler makes
/// them public, and the router and MapRazorComponents find pages among the exported types only) and EF Core migrations
/// (dotnet ef writes them public; EF Core finds them by reflection either way). <c>tools/internal_by_default.py</c>
/// makes a type internal wherever nothing outside its assembly (but the tests) needs it.
/// </summary>
public class PublicSurfaceTests
{
    public static TheoryData<string> Libraries =>
    [
        "Sojourn.Domain", "Sojourn.Rules", "Sojourn.Credentials", "Sojourn.Documents", "Sojourn.Data", "Sojourn.Application", "Sojourn.Web",
    ];

    /// <summary>Base types of generated code whose accessibility the generator decides.</summary>
    private static readonly HashSet<string> GeneratedBases = new(StringComparer.Ordinal)
    {
        "Microsoft.AspNetCore.Components.ComponentBase",
        "Microsoft.AspNetCore.Components.LayoutComponentBase",
        "Microsoft.EntityFrameworkCore.Migrations.Migration",
    };

    private static readonly Lazy<Dictionary<string, SortedSet<string>>> Listed = new(ReadList);

    [Theory]
    [MemberData(nameof(Libraries))]
    public void PublicTypes_AreTheListedSurface(string assembly)
    {
        var actual = PublicTypes(assembly);
        var listed = Listed.Value.GetValueOrDefault(assembly) ?? [];

        var added = actual.Except(listed).ToList();
        var gone = listed.Except(actual).ToList();
        Assert.True(added.Count == 0 && gone.Count == 0,
            $"The public surface of {assembly} changed. Make a new type internal unless another project needs it; otherwise "
            + $"add it to PublicSurface.txt deliberately.\nNew public: {string.Join(", ", added)}\nNo longer public: {string.Join(", ", gone)}\n"
            + $"The surface now:\n{string.Join('\n', actual.Select(t => assembly + ": " + t))}");
    }

    [Fact]
    public void PublicTypes_ReadsTheCompiledAssembly()
    {
        // The check itself: a public type is seen, an internal one is not, a nested public type of a public type is.
        var rules = PublicTypes("Sojourn.Rules");
        Assert.Contains("Sojourn.Rules.Evaluation.Evaluator", rules);
        Assert.DoesNotContain(rules, t => t.EndsWith(".PolicyLoader", StringComparison.Ordinal));
        Assert.Contains("Sojourn.Domain.CitizenId", PublicTypes("Sojourn.Domain"));
        // The host's entry point is public (WebApplicationFactory<Program>); its pages and the migrations are left out.
        var web = PublicTypes("Sojourn.Web");
        Assert.Contains("Program", web);
        Assert.DoesNotContain(web, t => t.StartsWith("Sojourn.Web.Components.Pages.", StringComparison.Ordinal));
        Assert.DoesNotContain(PublicTypes("Sojourn.Data"), t => t.StartsWith("Sojourn.Data.Migrations.", StringComparison.Ordinal));
    }

    /// <summary>The types visible outside the assembly: public top-level types and public types nested in them.</summary>
    internal static SortedSet<string> PublicTypes(string assembly)
    {
        var path = Path.Combine(AppContext.BaseDirectory, assembly + ".dll");
        using var module = ModuleDefinition.ReadModule(path);
        return new SortedSet<string>(
            module.GetTypes().Where(t => Visible(t) && !Generated(t)).Select(t => t.FullName.Replace('/', '+')), StringComparer.Ordinal);
    }

    private static bool Visible(TypeDefinition type) =>
        type.IsPublic || (type.IsNestedPublic && Visible(type.DeclaringType));

    /// <summary>A Razor component (or _Imports) or an EF Core migration, directly or through a base type of the same assembly.</summary>
    private static bool Generated(TypeDefinition type)
    {
        if (type.Name == "_Imports")
        {
            return true; // Razor's _Imports.razor, compiled to a public class of its own
        }

        for (var t = type; t?.BaseType is { } b; t = b.Scope == type.Module ? b.Resolve() : null)
        {
            if (GeneratedBases.Contains(b.FullName))
            {
                return true;
            }
        }

        return false;
    }

    private static Dictionary<string, SortedSet<string>> ReadList()
    {
        var list = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "PublicSurface.txt")))
        {
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            var colon = text.IndexOf(':', StringComparison.Ordinal);
            var assembly = text[..colon].Trim();
            if (!list.TryGetValue(assembly, out var types))
            {
                list[assembly] = types = new SortedSet<string>(StringComparer.Ordinal);
            }

            types.Add(text[(colon + 1)..].Trim());
        }

        return list;
    }
}
