namespace Sojourn.Application.Errors;

/// <summary>Collects every bad field before anything is written (all-or-nothing); keys are JSON field paths.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public bool Has(string field) => _errors.ContainsKey(field);

    public void Add(string field, string messageKey, params object?[] args) => AddText(field, Messages.Format(messageKey, args));

    public void AddText(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public Dictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>The validation failure naming every bad field and why.</summary>
    public Failure ToFailure() => Failure.Validation(ToDictionary());
}
