namespace Sojourn.Web.Components.Pages.Collector;

/// <summary>The collector pages' text (CollectorText.tsv → .resx, zh-CN first, English second).</summary>
public sealed class CollectorText;
