namespace Sojourn.Web.Components.Pages.Migrant;

/// <summary>The migrant pages' text (MigrantText.tsv → .resx: zh-CN, English).</summary>
internal sealed class MigrantText;
