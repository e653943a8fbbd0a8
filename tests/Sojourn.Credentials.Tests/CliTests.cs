using System.CommandLine;
using System.Text.Json;
using Sojourn.Cli.Commands;

namespace Sojourn.Credentials.Tests;

/// <summary>`sojourn permit …` run in-process: keygen, issue-demo, status, verify and their exit codes.</summary>
public sealed class CliTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sojourn-cli-");
    private readonly FixedTime _time = new(TestData.IssuedAt);
    private readonly StringWriter _out = new();

    public void Dispose()
    {
        _out.Dispose();
        _dir.Delete(recursive: true);
    }

    private string P(string name) => Path.Combine(_dir.FullName, name);

    private int Run(params string[] args)
    {
        var root = new RootCommand { PermitCommands.Create(_time, _out, _out) };
        return root.Parse(["permit", .. args]).Invoke();
    }

    private void IssueDemo()
    {
        Assert.Equal(0, Run("keygen", "--authority", "320106", "--name", "南京市公安局鼓楼分局", "--out", P("keys.json")));
        Assert.Equal(0, Run("issue-demo", "--keys", P("keys.json"), "--valid-from", "2026-05-06", "--valid-until", "2029-05-05",
            "--endorse-by", "2027-05-06", "--index", "7", "--out", P("demo")));
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

        Assert.Equal(0, Run("verify", P("demo/credential.txt"), "--keys", P("keys.pub.json"), "--at", "2026-12-01"));
    }

    [Fact]
    public void Verify_OtherPhoto_ExitsOne()
    {
        File.WriteAllBytes(P("photo.jpg"), TestData.Photo);
        File.WriteAllBytes(P("other.jpg"), "someone else"u8.ToArray());
        Assert.Equal(0, Run("keygen", "--authority", "320106", "--out", P("keys.json")));
        Assert.Equal(0, Run("issue-demo", "--keys", P("keys.json"), "--valid-from", "2026-05-06", "--valid-until", "2029-05-05",
            "--endorse-by", "2027-05-06", "--photo", P("photo.jpg"), "--out", P("demo")));

        Assert.Equal(0, Run("verify", P("demo/credential.txt"), "--keys", P("keys.pub.json"), "--photo", P("photo.jpg"), "--at", "2026-12-01"));
        Assert.Equal(1, Run("verify", P("demo/credential.txt"), "--keys", P("keys.pub.json"), "--photo", P("other.jpg"), "--at", "2026-12-01"));
        Assert.Contains("SJ-CRED-009", _out.ToString());
    }

    [Fact]
    public void Keygen_ExistingFileWithoutRotate_ExitsTwo()
    {
        Assert.Equal(0, Run("keygen", "--authority", "320106", "--out", P("keys.json")));

        Assert.Equal(2, Run("keygen", "--authority", "320106", "--out", P("keys.json")));
    }
}
