using Sojourn.Rules.Calendar;
using Sojourn.Rules.Evaluation;
using Sojourn.Rules.Loading;

namespace Sojourn.Rules.Tests.Policies;

/// <summary>Catalogs built from chosen policy files (copied to PolicyFiles/ at build).</summary>
internal static class TestCatalog
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "PolicyFiles");

    public static byte[] File(string id) => System.IO.File.ReadAllBytes(Path.Combine(Folder, id + ".yaml"));

    public static Evaluator Of(params string[] ids) =>
        new(new PolicyCatalog(PolicyLoader.LoadAll(ids.Select(id => (id + ".yaml", File(id)))), WorkingCalendar.Default));

    public static PolicyService Service(params string[] ids) =>
        new(Of(ids), new FixedTime(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.FromHours(8))));
}
