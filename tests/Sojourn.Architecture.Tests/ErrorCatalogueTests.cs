using System.Globalization;
using System.Reflection;
using System.Resources;
using System.Text.RegularExpressions;
using Sojourn.Application.Errors;

namespace Sojourn.Architecture.Tests;

/// <summary>
/// The one error catalogue: every code in <see cref="ErrorCode"/> has a number of its own and a title in zh-CN and
/// English; every error message key the source names exists in both; no code is made up inline outside the catalogue.
/// </summary>
public partial class ErrorCatalogueTests
{
    private static readonly ResourceManager Resources =
        new("Sojourn.Application.Resources.Messages", typeof(ErrorCode).Assembly);

    private static readonly CultureInfo Chinese = CultureInfo.InvariantCulture;
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    public static IEnumerable<ErrorCode> Codes() =>
        typeof(ErrorCode).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(ErrorCode))
            .Select(f => (ErrorCode)f.GetValue(null)!);

    private static string? Text(string key, CultureInfo culture) =>
        Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)?.GetString(key);

    [Fact]
    public void Codes_EachNumberOnce()
    {
        var duplicates = Codes().GroupBy(c => c.Code).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicates);
    }

    [Fact]
    public void Codes_EachHasAnErrorStatus()
    {
        Assert.All(Codes(), c => Assert.InRange(c.Status, 400, 599));
    }

    [Fact]
    public void Codes_EachHasAChineseAndAnEnglishTitle()
    {
        var missing = Codes()
            .SelectMany(c => new[] { (c, Chinese), (c, English) })
            .Where(p => string.IsNullOrWhiteSpace(Text(p.c.TitleKey, p.Item2)))
            .Select(p => $"{p.c.Code} {p.c.TitleKey} ({p.Item2.Name})")
            .ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void ErrorMessageKeysInSource_EachInChineseAndEnglish()
    {
        var keys = SourceFiles().SelectMany(f => ErrorKey().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToHashSet();
        Assert.NotEmpty(keys);
        var missing = keys.SelectMany(k => new[] { (k, Chinese), (k, English) })
            .Where(p => string.IsNullOrWhiteSpace(Text(p.k, p.Item2)))
            .Select(p => $"{p.k} ({p.Item2.Name})")
            .ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Source_MakesNoErrorCodeOutsideTheCatalogue()
    {
        // Only ApiProblems writes errorCode into a ProblemDetails, and only the catalogue constructs an ErrorCode.
        var offenders = SourceFiles()
            .Where(f => !f.EndsWith(Path.Combine("Errors", "ErrorCode.cs"), StringComparison.Ordinal)
                && !f.EndsWith(Path.Combine("Hosting", "ApiProblems.cs"), StringComparison.Ordinal))
            .Where(f => InlineCode().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(Root(), f))
            .ToList();
        Assert.Empty(offenders);
    }

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Sojourn.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Sojourn.slnx not found above " + AppContext.BaseDirectory);
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(Root(), "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [GeneratedRegex("\"(Error_[A-Za-z0-9_]+)\"")]
    private static partial Regex ErrorKey();

    [GeneratedRegex(@"Extensions\[""errorCode""\]|new ErrorCode\(|\b[1-9]0\d{3}\b\s*,\s*""")]
    private static partial Regex InlineCode();
}
