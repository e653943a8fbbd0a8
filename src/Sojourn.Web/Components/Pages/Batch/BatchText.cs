namespace Sojourn.Web.Components.Pages.Batch;

/// <summary>The batch report page's text (BatchText.tsv → .resx: zh-CN, English).</summary>
internal sealed class BatchText;
