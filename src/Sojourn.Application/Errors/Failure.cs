namespace Sojourn.Application.Errors;

/// <summary>
/// Why a use case did not do what it was asked: an entry of the <see cref="ErrorCode"/> catalogue, the detail in
/// the caller's language (with the article it rests on, where a rule decided), the fields that were wrong and why,
/// and any further facts a client acts on (e.g. <c>existingId</c>). The web host maps it to ProblemDetails; a page
/// shows it beside the form; the CLI prints it as one line.
/// </summary>
public sealed record Failure(
    ErrorCode Code,
    string? Detail = null,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    IReadOnlyDictionary<string, object?>? Extensions = null)
{
    /// <summary>The catalogue's title for <see cref="Code"/> in the current UI culture.</summary>
    public string Title => Messages.Get(Code.TitleKey);

    /// <summary>Bad input: one message per field, named as the request names it.</summary>
    public static Failure Validation(IReadOnlyDictionary<string, string[]> errors) =>
        new(ErrorCode.ValidationFailed, Messages.Get("Error_ValidationFailed_Detail"), errors);

    public static Failure Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>A failure whose detail is the catalogue text <paramref name="detailKey"/> formatted with <paramref name="args"/>.</summary>
    public static Failure Of(ErrorCode code, string detailKey, params object?[] args) =>
        new(code, args.Length == 0 ? Messages.Get(detailKey) : Messages.Format(detailKey, args));

    public Failure With(string key, object? value) =>
        this with { Extensions = new Dictionary<string, object?>(Extensions ?? new Dictionary<string, object?>()) { [key] = value } };
}
