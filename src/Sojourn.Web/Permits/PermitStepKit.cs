namespace Sojourn.Web.Permits;

/// <summary>The one piece of the old step kit the web host still shares: an article as people read it.</summary>
internal static class PermitStepKit
{
    /// <summary>A basis in the contract form as people read it: <c>cn-2016#11</c> → 《居住证暂行条例》第十一条.</summary>
    public static string Cite(string? basis) => PermitCitations.Cite(basis);
}
