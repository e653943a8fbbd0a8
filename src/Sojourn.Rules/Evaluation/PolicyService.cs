using System.Text.Json;

namespace Sojourn.Rules.Evaluation;

/// <summary>
/// The contract's entry point shared by the CLI and HTTP: JSON case (or array) in, JSON result (or
/// array) out, with rejected cases answered by <c>{"error": {...}}</c>.
/// </summary>
public sealed class PolicyService
{
    private readonly Evaluator _evaluator;
    private readonly CaseParser _parser;

    /// <summary>Creates the service.</summary>
    public PolicyService(Evaluator evaluator, TimeProvider time)
    {
        _evaluator = evaluator;
        _parser = new CaseParser(time, evaluator.Catalog.Divisions);
    }

    /// <summary>Evaluates one case element: a result, or an error.</summary>
    public (EvaluationResult? Result, CaseError? Error) EvaluateOne(JsonElement json)
    {
        var c = _parser.Parse(json, out var error);
        if (c is null)
        {
            return (null, error);
        }

        if (c.Policy is not null && _evaluator.Catalog.Find(c.Policy) is null)
        {
            return (null, new CaseError($"未知的政策“{c.Policy}”。可用：{string.Join("、", _evaluator.Catalog.Policies.Select(p => p.Id))}。", "policy"));
        }

        var policy = _evaluator.Resolve(c);
        if (policy is null)
        {
            return (null, new CaseError($"行政区划 {c.ResidenceDivision} 在 {c.AsOf:yyyy-MM-dd} 无施行中的政策。", "stay.residenceDivision"));
        }

        try
        {
            return (_evaluator.Evaluate(c, policy), null);
        }
        catch (ArgumentOutOfRangeException)
        {
            // Backstop behind the parser's bounds: calendar arithmetic past the representable dates.
            return (null, new CaseError("案例中的日期或期限超出可计算的范围。", "asOf"));
        }
    }

    /// <summary>
    /// Evaluates a document holding one case or an array; writes the answer in the same shape and
    /// returns the number of rejected cases.
    /// </summary>
    public int EvaluateDocument(JsonElement root, Utf8JsonWriter w)
    {
        ArgumentNullException.ThrowIfNull(w);
        var rejected = 0;
        if (root.ValueKind == JsonValueKind.Array)
        {
            w.WriteStartArray();
            foreach (var item in root.EnumerateArray())
            {
                rejected += WriteOne(item, w);
            }

            w.WriteEndArray();
        }
        else
        {
            rejected += WriteOne(root, w);
        }

        w.Flush();
        return rejected;
    }

    private int WriteOne(JsonElement item, Utf8JsonWriter w)
    {
        var (result, error) = EvaluateOne(item);
        if (error is not null)
        {
            ResultWriter.WriteError(w, error);
            return 1;
        }

        ResultWriter.Write(w, result!);
        return 0;
    }
}
