using System.Diagnostics;
using System.Text;

namespace Sojourn.Credentials.Tests;

/// <summary>The real `sojourn` process (Program → CliHost): one zh-CN line on stderr, non-zero exit, no stack trace.</summary>
public sealed class CliProcessTests
{
    private static (int Code, string Out, string Err) Sojourn(string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sojourn.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment.Remove("SOJOURN_VERBOSE");
        using var p = Process.Start(start)!;
        p.StandardInput.Write(stdin ?? "");
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output.Result, error);
    }

    private static void AssertOneChineseLine(int code, string err, int expected)
    {
        Assert.Equal(expected, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, err);
        Assert.StartsWith("错误：", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public void PolicyEvaluate_FarDate_RejectedCaseOnStdoutAndOneLineOnStderr()
    {
        const string Case = """{"policy":"shanxi-2017","asOf":"9999-12-31","person":{"birthDate":"1990-03-07","sex":"female","category":"mainland","hukouDivision":"370102"},"stay":{"residenceDivision":"140105","arrivedOn":"9999-12-31","intendedDays":365,"purpose":"work","lodging":"rental"}}""";

        var (code, output, err) = Sojourn(Case, "policy", "evaluate", "-");

        AssertOneChineseLine(code, err, 2);
        Assert.Contains("\"error\"", output, StringComparison.Ordinal);
        Assert.Contains("2199-12-31", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, "policy", "show", "no-such-policy")]
    [InlineData(2, "policy", "evaluate", "/nonexistent/case.json")]
    [InlineData(2, "policy", "impact", "--from", "shanxi-2013", "--to", "shanxi-2017", "--database", "--as-of", "9999-12-31")]
    [InlineData(2, "policy", "impact", "--from", "shanxi-2013", "--to", "shanxi-2017", "--database", "--provider", "mysql")]
    [InlineData(2, "audit", "verify", "--connection", "Data Source=/nonexistent/dir/x.db")]
    [InlineData(2, "no-such-command")]
    [InlineData(2)]
    public void BadUsage_OneChineseLine(int expected, params string[] args)
    {
        var (code, _, err) = Sojourn(null, args);

        AssertOneChineseLine(code, err, expected);
    }
}
