namespace Sojourn.Web.Components.Pages.Department;

/// <summary>Marker for the department pages' text (DepartmentText.resx, zh-CN; DepartmentText.en.resx).</summary>
internal sealed class DepartmentText;
