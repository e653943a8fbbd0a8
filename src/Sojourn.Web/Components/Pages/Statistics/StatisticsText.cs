namespace Sojourn.Web.Components.Pages.Statistics;

/// <summary>Text of the statistics pages (StatisticsText.tsv → .resx).</summary>
internal sealed class StatisticsText;
