namespace Sojourn.Web.Components.Pages.Admin;

/// <summary>Marker for the administrator's pages' text (AdminText.resx, zh-CN; AdminText.en.resx).</summary>
internal sealed class AdminText;
