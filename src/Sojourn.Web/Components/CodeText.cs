namespace Sojourn.Web.Components;

/// <summary>
/// Marker for the names of the registration form's own coded values (CodeText.resx zh-CN, CodeText.en.resx English):
/// sex, marital status, employment, social insurance, purpose of stay, lodging, channel, registration status. Read
/// with <see cref="Infrastructure.CodedText.Coded"/>; the national tables (GB/T 2260, 3304, 4658) are named from
/// Sojourn.Rules instead.
/// </summary>
internal sealed class CodeText;
