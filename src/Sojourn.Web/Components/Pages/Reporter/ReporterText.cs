namespace Sojourn.Web.Components.Pages.Reporter;

/// <summary>The reporter portal's text (ReporterText.tsv → .resx: zh-CN, English).</summary>
internal sealed class ReporterText;
