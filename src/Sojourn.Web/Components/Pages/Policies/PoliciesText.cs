namespace Sojourn.Web.Components.Pages.Policies;

/// <summary>Marker for the policy pages' text (PoliciesText.resx, zh-CN; PoliciesText.en.resx).</summary>
internal sealed class PoliciesText;
