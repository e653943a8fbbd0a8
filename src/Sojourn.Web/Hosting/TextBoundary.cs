using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sojourn.Domain;

namespace Sojourn.Web.Hosting;

/// <summary>
/// A JSON value refused at the boundary, before any endpoint sees it; System.Text.Json adds the field's path and the
/// exception handler answers 400 (errorCode 10041) with the message named here for that field.
/// </summary>
internal abstract class BoundaryValueException(string messageKey, params object[] arguments) : JsonException("Value refused at the boundary.")
{
    /// <summary>The resource key of the field message; its {0} is the field name, then <see cref="Arguments"/>.</summary>
    public string MessageKey { get; } = messageKey;

    public IReadOnlyList<object> Arguments { get; } = arguments;
}

/// <summary>A JSON string that breaks <see cref="StoredText"/>.</summary>
internal sealed class UnsafeTextException() : BoundaryValueException("Field_UnsafeText");

/// <summary>A JSON string longer than any field Sojourn takes (<see cref="SafeStringConverter.MaxLength"/>).</summary>
internal sealed class OverlongTextException() : BoundaryValueException("Field_TooLong", SafeStringConverter.MaxLength);

/// <summary>A date outside the years any record or rule can be about (<see cref="BoundedDates"/>).</summary>
internal sealed class DateOutOfRangeException() : BoundaryValueException(
    "Field_DateOutOfRange", BoundedDates.Min.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), BoundedDates.Max.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

/// <summary>
/// Applies the stored-text rule to every string of every JSON request body at the boundary, so each
/// endpoint gets it without a check of its own; the exception handler answers 400 naming the field.
/// </summary>
internal sealed class SafeStringConverter : JsonConverter<string>
{
    /// <summary>
    /// No string Sojourn takes is longer (the longest, an e-permit credential, is under 2,000 characters); each stored
    /// field's own, smaller limit comes from its column (Data.Validation.ColumnLengths). This one also bounds
    /// filters and other strings that are never stored.
    /// </summary>
    public const int MaxLength = 4096;

    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException();
        }

        var value = reader.GetString();
        if (value is { Length: > MaxLength })
        {
            throw new OverlongTextException();
        }

        return StoredText.IsSafe(value) ? value : throw new UnsafeTextException();
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}

/// <summary>
/// The same rule for query strings and route values (e.g. <c>GET /v/x?purpose=a%00b</c>): refused before any
/// endpoint runs, with a 400 naming the parameter.
/// </summary>
internal sealed class TextBoundaryMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var bad = context.Request.Query.FirstOrDefault(q => !StoredText.IsSafe(q.Key) || q.Value.Any(v => !StoredText.IsSafe(v))).Key;
        if (bad is null && !StoredText.IsSafe(context.Request.Path.Value))
        {
            bad = "path";
        }

        if (bad is null && context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            bad = form.FirstOrDefault(f => !StoredText.IsSafe(f.Key) || f.Value.Any(v => !StoredText.IsSafe(v))).Key;
        }

        if (bad is null)
        {
            await next(context);
            return;
        }

        var field = StoredText.IsSafe(bad) ? bad : "query";
        var problem = ApiProblems.Create(ErrorCode.UnsafeText, Messages.Get("Error_ValidationFailed_Detail"),
            new Dictionary<string, string[]> { [field] = [Messages.Format("Field_UnsafeText", field)] });
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
        });
    }
}

/// <summary>
/// Dates in JSON bodies stay within the years the rules engine accepts (Rules.Evaluation.CaseParser.MinDate–MaxDate):
/// a date near 9999-12-31 overflows date arithmetic, and no record or deadline is about year 1 or 9999.
/// </summary>
internal static class BoundedDates
{
    public static DateOnly Min => Rules.Evaluation.CaseParser.MinDate;

    public static DateOnly Max => Rules.Evaluation.CaseParser.MaxDate;

    public static JsonConverter[] Converters { get; } = [new DateOnlyConverter(), new DateTimeOffsetConverter(), new DateTimeConverter()];

    private static T Check<T>(T value, DateOnly day) => Rules.Evaluation.CaseParser.InRange(day) ? value : throw new DateOutOfRangeException();

    private sealed class DateOnlyConverter : JsonConverter<DateOnly>
    {
        public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String
                && DateOnly.TryParseExact(reader.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? Check(day, day)
                : throw new JsonException();

        public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    private sealed class DateTimeOffsetConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var value)
                ? Check(value, DateOnly.FromDateTime(value.UtcDateTime))
                : throw new JsonException();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    private sealed class DateTimeConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && reader.TryGetDateTime(out var value)
                ? Check(value, DateOnly.FromDateTime(value))
                : throw new JsonException();

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
