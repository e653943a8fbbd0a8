namespace Sojourn.Rules.Tests.Policies;

/// <summary>The head of a minimal policy file (a 2020 layer over cn-2016) that the loader tests add their keys to.</summary>
internal static class TestPolicy
{
    public const string Header = """
        id: test-2020
        title: 测试办法
        authority: 测试
        documentNumber: null
        citation: article
        territory: ["14"]
        inForce: { from: 2020-01-01, until: null }
        parent: cn-2016

        """;
}
