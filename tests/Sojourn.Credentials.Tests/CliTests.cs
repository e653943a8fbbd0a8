using System.CommandLine;
using System.Text.Json;
using Sojourn.Cli;
using Sojourn.Cli.Commands;

namespace Sojourn.Credentials.Tests;

/// <summary>`sojourn permit …` run in-process: keygen, issue-demo, status, verify and their exit codes.</summary>
public sealed class CliTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sojourn-cli-");
    private readonly FixedTime _time = new(TestData.IssuedAt);
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    public void Dispose()
    {
        _out.Dispose();
        _err.Dispose();
        _dir.Delete(recursive: true);
    }

    private string P(string name) => Path.Combine(_dir.FullName, name);

    private int Run(params string[] args)
    {
        // Through CliHost, as Program runs it: failures become one line on _err.
        var root = new RootCommand { PermitCommands.Create(_time, _out, _out) };
        return CliHost.Run(root, ["permit", .. args], _err);
    }

    /// <summary>The demo list is valid until the end of 2026-12-31 (checks below run on 2026-12-01).</summary>
    private void IssueDemo(string listValidUntil = "2026-12-31")
    {
        Assert.Equal(0, Run("keygen", "--authority", "320106", "--name", "南京市公安局鼓楼分局", "--out", P("keys.json")));
        Assert.Equal(0, Run("issue-demo", "--keys", P("keys.json"), "--valid-from", "2026-05-06", "--valid-until", "2029-05-05",
            "--endorse-by", "2027-05-06", "--index", "7", "--status-valid-until", listValidUntil, "--out", P("demo")));
    }

    private void AssertOneChineseErrorLine(int code)
    {
        Assert.NotEqual(0, code);
        var lines = _err.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, _err.ToString());
        Assert.StartsWith("错误：", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", _err.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", _err.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_DemoCredential_ExitsZero()
    {
        IssueDemo();

        var code = Run("verify", P("demo/credential.txt"), "--keys", P("keys.pub.json"), "--status-list", P("demo/status-list.txt"), "--at", "2026-12-01");

        Assert.Equal(0, code);
        Assert.Contains("✔ 有效", _out.ToString());
    }

    [Fact]
    public void Verify_AfterEndorsementDeadline_ExitsOneWithJsonReason()
    {
        IssueDemo();
        _out.GetStringBuilder().Clear();

        var code = Run("verify", P("demo/credential.txt"), "--keys", P("keys.pub.json"), "--at", "2027-05-07", "--json");

        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(_out.ToString());
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal("EndorsementLapsed", json.RootElement.GetProperty("reason").GetString());
        Assert.Equal("2027-05-06", json.RootElement.GetProperty("date").GetString());
    }

    [Fact]
    public void Verify_RevokedThroughStatusCommand_ExitsOne()
    {
        IssueDemo();
        Assert.Equal(0, Run("status", "--keys", P("keys.json"), "--status-list", P("demo/status-list.txt"), "--index", "7", "--set", "Revoked", "--valid-until", "2026-12-31"));

        var code = Run("verify", P("demo/credential.txt"), "--keys", P("keys.pub.json"), "--status-list", P("demo/status-list.txt"), "--at", "2026-12-01");

        Assert.Equal(1, code);
        Assert.Contains("SJ-CRED-007", _out.ToString());
    }

    [Fact]
    public void Verify_WithoutTrustedKeys_ExitsOne()
    {
        IssueDemo();

        Assert.Equal(1, Run("verify", File.ReadAllText(P("demo/credential.txt")), "--at", "2026-12-01"));
    }

    [Fact]
    public void Verify_AfterKeyRotation_OldCredentialStillValid()
    {
        IssueDemo();
        _time.Now = TestData.IssuedAt.AddDays(10);
        Assert.Equal(0, Run("keygen", "--out", P("keys.json"), "--rotate"));

        Assert.Equal(0, Run("verify", P("demo/credential.txt"), "--keys", P("keys.pub.json"), "--status-list", P("demo/status-list.txt"), "--at", "2026-12-01"));
    }

    [Fact]
    public void Verify_OtherPhoto_ExitsOne()
    {
        File.WriteAllBytes(P("photo.jpg"), TestData.Photo);
        File.WriteAllBytes(P("other.jpg"), "someone else"u8.ToArray());
        Assert.Equal(0, Run("keygen", "--authority", "320106", "--out", P("keys.json")));
        Assert.Equal(0, Run("issue-demo", "--keys", P("keys.json"), "--valid-from", "2026-05-06", "--valid-until", "2029-05-05",
            "--endorse-by", "2027-05-06", "--photo", P("photo.jpg"), "--status-valid-until", "2026-12-31", "--out", P("demo")));

        Assert.Equal(0, Run("verify", P("demo/credential.txt"), "--keys", P("keys.pub.json"), "--status-list", P("demo/status-list.txt"), "--photo", P("photo.jpg"), "--at", "2026-12-01"));
        Assert.Equal(1, Run("verify", P("demo/credential.txt"), "--keys", P("keys.pub.json"), "--photo", P("other.jpg"), "--at", "2026-12-01"));
        Assert.Contains("SJ-CRED-009", _out.ToString());
    }

    [Fact]
    public void Keygen_ExistingFileWithoutRotate_ExitsTwo()
    {
        Assert.Equal(0, Run("keygen", "--authority", "320106", "--out", P("keys.json")));

        Assert.Equal(2, Run("keygen", "--authority", "320106", "--out", P("keys.json")));
    }

    [Fact]
    public void Verify_FreshListGoodCredential_ValidAndPrintsListAge()
    {
        IssueDemo();

        var code = Run("verify", P("demo/credential.txt"), "--keys", P("keys.pub.json"), "--status-list", P("demo/status-list.txt"), "--at", "2026-12-01");

        Assert.Equal(0, code);
        Assert.Contains("状态列表：签发于 2026-05-06 09:00（209天3小时前），有效至 2026-12-31 23:59", _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_MissingStatusList_Refused()
    {
        IssueDemo();

        _out.GetStringBuilder().Clear();

        var code = Run("verify", P("demo/credential.txt"), "--keys", P("keys.pub.json"), "--at", "2026-12-01", "--json");

        Assert.Equal(1, code);
        using var json = JsonDocument.Parse(_out.ToString());
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal("StatusListMissing", json.RootElement.GetProperty("reason").GetString());
        Assert.Contains("状态列表", json.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ExpiredStatusList_RefusedNamingItsAge()
    {
        IssueDemo(listValidUntil: "2026-06-30");

        var code = Run("verify", P("demo/credential.txt"), "--keys", P("keys.pub.json"), "--status-list", P("demo/status-list.txt"), "--at", "2026-12-01");

        Assert.Equal(1, code);
        Assert.Contains("[SJ-CRED-013]", _out.ToString(), StringComparison.Ordinal);
        Assert.Contains("签发于 2026-05-06 09:00（209天3小时前）", _out.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("✔", _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ExpiredStatusListWithFlag_AcceptedWithWarningNamingAge()
    {
        IssueDemo(listValidUntil: "2026-06-30");

        _out.GetStringBuilder().Clear();

        var code = Run("verify", P("demo/credential.txt"), "--keys", P("keys.pub.json"), "--status-list", P("demo/status-list.txt"),
            "--at", "2026-12-01", "--accept-stale-status", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(_out.ToString());
        Assert.True(json.RootElement.GetProperty("staleStatusAccepted").GetBoolean());
        Assert.True(json.RootElement.GetProperty("statusList").GetProperty("expired").GetBoolean());
        Assert.Equal("209天3小时", json.RootElement.GetProperty("statusList").GetProperty("age").GetString());
        var warnings = string.Join("\n", json.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
        Assert.Contains("--accept-stale-status", warnings, StringComparison.Ordinal);
        Assert.Contains("209天3小时", warnings, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_RevokedInExpiredList_RevokedEvenWithoutFlag()
    {
        IssueDemo();
        Assert.Equal(0, Run("status", "--keys", P("keys.json"), "--status-list", P("demo/status-list.txt"), "--index", "7", "--set", "Revoked", "--valid-until", "2026-06-30"));

        var code = Run("verify", P("demo/credential.txt"), "--keys", P("keys.pub.json"), "--status-list", P("demo/status-list.txt"), "--at", "2026-12-01");

        Assert.Equal(1, code);
        Assert.Contains("SJ-CRED-007", _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void IssueDemo_PublicKeyFileInsteadOfRing_OneChineseLine()
    {
        IssueDemo();

        AssertOneChineseErrorLine(Run("issue-demo", "--keys", P("keys.pub.json"), "--valid-from", "2026-05-06", "--valid-until", "2029-05-05", "--endorse-by", "2027-05-06", "--out", P("demo2")));
        Assert.Contains("私钥", _err.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Status_KeyRingOfAnotherAuthority_OneChineseLine()
    {
        IssueDemo();
        Assert.Equal(0, Run("keygen", "--authority", "110101", "--out", P("other.json")));

        AssertOneChineseErrorLine(Run("status", "--keys", P("other.json"), "--status-list", P("demo/status-list.txt"), "--index", "7", "--set", "Revoked", "--valid-until", "2026-12-31"));
    }

    [Theory]
    [InlineData("verify", "CRED", "--keys", "{KEYS_BAD}")]
    [InlineData("verify", "CRED", "--keys", "{MISSING}")]
    [InlineData("verify", "CRED", "--keys", "{PUB}", "--status-list", "{MISSING}")]
    [InlineData("verify", "CRED", "--keys", "{PUB}", "--at", "9999-12-31")]
    [InlineData("verify", "CRED", "--keys", "{PUB}", "--at", "9999-12-31T23:59:59+08:00")]
    [InlineData("issue-demo", "--keys", "{RING}", "--valid-from", "2026-05-06", "--valid-until", "9999-12-31", "--endorse-by", "9999-12-31")]
    [InlineData("issue-demo", "--keys", "{RING}", "--valid-from", "0001-01-01", "--valid-until", "2029-05-05", "--endorse-by", "2027-05-06")]
    [InlineData("status", "--keys", "{RING}", "--status-list", "{LIST}", "--index", "7", "--set", "Revoked", "--valid-until", "9999-12-31")]
    [InlineData("status", "--keys", "{RING}", "--status-list", "{LIST}", "--index", "999999999", "--set", "Revoked", "--valid-until", "2026-12-31")]
    [InlineData("status", "--keys", "{RING}", "--status-list", "{KEYS_BAD}", "--index", "7", "--set", "Revoked", "--valid-until", "2026-12-31")]
    [InlineData("status", "--keys", "{RING}", "--status-list", "{LIST}", "--index", "7", "--set", "Bogus", "--valid-until", "2026-12-31")]
    [InlineData("keygen", "--out", "{KEYS_BAD}", "--rotate")]
    [InlineData("keygen", "--authority", "abc", "--out", "{NEW}")]
    [InlineData("verify")]
    public void BadInput_OneChineseLineNonZeroNoStackTrace(params string[] args)
    {
        IssueDemo();
        File.WriteAllText(P("bad.json"), "{\"bad");
        var resolved = args.Select(a => a switch
        {
            "CRED" => P("demo/credential.txt"),
            "{KEYS_BAD}" => P("bad.json"),
            "{MISSING}" => P("missing.json"),
            "{PUB}" => P("keys.pub.json"),
            "{RING}" => P("keys.json"),
            "{LIST}" => P("demo/status-list.txt"),
            "{NEW}" => P("new.json"),
            _ => a,
        }).ToArray();
        _out.GetStringBuilder().Clear();

        AssertOneChineseErrorLine(Run(resolved));
    }
}
