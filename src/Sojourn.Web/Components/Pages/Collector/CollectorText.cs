namespace Sojourn.Web.Components.Pages.Collector;

/// <summary>The collector pages' text (CollectorText.tsv → .resx, zh-CN first, English second).</summary>
internal sealed class CollectorText;
