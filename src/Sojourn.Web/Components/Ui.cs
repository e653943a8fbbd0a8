namespace Sojourn.Web.Components;

/// <summary>The shared text of the application's frame (Ui.resx zh-CN, Ui.en.resx English); each area has its own resource.</summary>
internal sealed class Ui;
