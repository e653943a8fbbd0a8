namespace Sojourn.Web.Components.Pages.Reporter;

/// <summary>The reporter portal's text (ReporterText.tsv → .resx: zh-CN, English).</summary>
public sealed class ReporterText;
