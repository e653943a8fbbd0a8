using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sojourn.Rules.Evaluation;

/// <summary>Writes results in the contract's JSON shape (camelCase, dates <c>YYYY-MM-DD</c>).</summary>
public static class ResultWriter
{
    /// <summary>Options: indented, Chinese kept readable.</summary>
    public static JsonWriterOptions Options { get; } = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes one result.</summary>
    public static void Write(Utf8JsonWriter w, EvaluationResult r)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(r);
        w.WriteStartObject();
        w.WriteStartArray("policies");
        foreach (var p in r.Policies)
        {
            w.WriteStringValue(p);
        }

        w.WriteEndArray();
        w.WriteStartObject("floating");
        w.WriteBoolean("value", r.Floating.Value);
        WriteStringOrNull(w, "basis", r.Floating.Basis);
        if (r.Floating.Reason is not null)
        {
            w.WriteString("reason", r.Floating.Reason);
        }

        w.WriteEndObject();
        w.WriteStartArray("duties");
        foreach (var d in r.Duties)
        {
            w.WriteStartObject();
            w.WriteString("id", d.Duty.Rule.Id);
            w.WriteString("party", d.Duty.PartyName);
            if (d.Opens is { } opens)
            {
                w.WriteString("opens", Date(opens));
            }

            w.WriteString("due", d.Due.ToString());
            w.WriteString("status", Status(d.Status));
            if (d.Done is { } done)
            {
                w.WriteString("doneOn", done.ToString());
            }

            w.WriteString("basis", d.Duty.Basis);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (r.Permit is { } p2)
        {
            w.WriteStartObject("permit");
            w.WriteBoolean("eligible", p2.Eligible);
            WriteStringOrNull(w, "earliest", p2.Earliest is { } e ? Date(e) : null);
            w.WriteStartArray("unmet");
            foreach (var u in p2.Unmet)
            {
                w.WriteStringValue(u);
            }

            w.WriteEndArray();
            WriteStringOrNull(w, "basis", p2.Basis);
            if (p2.ValidUntil is { } vu)
            {
                w.WriteString("validUntil", Date(vu));
            }

            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("permit");
        }

        w.WriteStartArray("penalties");
        foreach (var p in r.Penalties)
        {
            w.WriteStartObject();
            w.WriteString("party", p.Party);
            w.WriteString("duty", p.Duty);
            w.WriteBoolean("orderToCorrect", p.OrderToCorrect);
            if (p.Warning)
            {
                w.WriteBoolean("warning", true);
            }

            Fine(w, "fine", p.Fine);
            Fine(w, "seriousFine", p.SeriousFine);
            w.WriteBoolean("fineOnlyIfUncorrected", p.FineOnlyIfUncorrected);
            w.WriteString("basis", p.Basis);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("entitlements");
        foreach (var e in r.Entitlements)
        {
            w.WriteStartObject();
            w.WriteString("id", e.Id);
            w.WriteString("basis", e.Basis);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("engine");
        w.WriteString("version", Evaluator.Version);
        w.WriteStartObject("policyHashes");
        foreach (var id in r.Policies)
        {
            w.WriteString(id, r.PolicyHashes[id]);
        }

        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Writes a rejection: <c>{"error": {"message", "field"}}</c>.</summary>
    public static void WriteError(Utf8JsonWriter w, CaseError e)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(e);
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteString("message", e.Message);
        w.WriteString("field", e.Field);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Contract name of a status.</summary>
    public static string Status(DutyStatus s) => s switch
    {
        DutyStatus.Met => "met",
        DutyStatus.Late => "late",
        DutyStatus.Overdue => "overdue",
        _ => "open",
    };

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static void WriteStringOrNull(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void Fine(Utf8JsonWriter w, string name, Loading.FineRange? f)
    {
        if (f is null)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartObject(name);
        w.WriteNumber("minYuan", f.MinYuan);
        w.WriteNumber("maxYuan", f.MaxYuan);
        w.WriteEndObject();
    }
}
