namespace Sojourn.Web.Components.Pages.Chief;

/// <summary>Marker for the station chief's pages' text (ChiefText.resx, zh-CN; ChiefText.en.resx).</summary>
internal sealed class ChiefText;
