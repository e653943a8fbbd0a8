using Mono.Cecil;

namespace Sojourn.Architecture.Tests;

/// <summary>
/// Internal by default: the public types of the libraries below the application are exactly those listed in
/// <c>PublicSurface.txt</c> (read from the compiled assemblies with Mono.Cecil). A new public type fails here until it
/// is added to the list, so widening a library's surface is a deliberate act; a type made internal is struck from the
/// list the same way, so the list stays the surface as it is. The tests reach internals through InternalsVisibleTo.
/// </summary>
public class PublicSurfaceTests
{
    public static TheoryData<string> Libraries => ["Sojourn.Domain", "Sojourn.Rules", "Sojourn.Credentials", "Sojourn.Documents"];

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
    }

    /// <summary>The types visible outside the assembly: public top-level types and public types nested in them.</summary>
    internal static SortedSet<string> PublicTypes(string assembly)
    {
        var path = Path.Combine(AppContext.BaseDirectory, assembly + ".dll");
        using var module = ModuleDefinition.ReadModule(path);
        return new SortedSet<string>(
            module.GetTypes().Where(Visible).Select(t => t.FullName.Replace('/', '+')), StringComparer.Ordinal);
    }

    private static bool Visible(TypeDefinition type) =>
        type.IsPublic || (type.IsNestedPublic && Visible(type.DeclaringType));

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
