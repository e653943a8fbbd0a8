namespace Sojourn.Web.Components.Pages.Chief;

/// <summary>Marker for the station chief's pages' text (ChiefText.resx, zh-CN; ChiefText.en.resx).</summary>
public sealed class ChiefText;
