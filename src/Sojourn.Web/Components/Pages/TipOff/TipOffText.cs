namespace Sojourn.Web.Components.Pages.TipOff;

/// <summary>The public tip-off page's text (TipOffText.tsv → .resx: zh-CN, English).</summary>
internal sealed class TipOffText;
