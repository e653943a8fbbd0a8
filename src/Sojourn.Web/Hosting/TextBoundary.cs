using System.Text.Json;
using System.Text.Json.Serialization;
using Sojourn.Domain;

namespace Sojourn.Web.Hosting;

/// <summary>A JSON string that breaks <see cref="StoredText"/>; System.Text.Json adds the field's path.</summary>
public sealed class UnsafeTextException() : JsonException("Text contains characters that are not allowed.");

/// <summary>
/// Applies the stored-text rule to every string of every JSON request body at the boundary, so each
/// endpoint gets it without a check of its own; the exception handler answers 400 naming the field.
/// </summary>
public sealed class SafeStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException();
        }

        var value = reader.GetString();
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
public sealed class TextBoundaryMiddleware(RequestDelegate next)
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
        var problem = ApiProblems.Create(ApiError.UnsafeText, Messages.Get("Error_ValidationFailed_Detail"),
            new Dictionary<string, string[]> { [field] = [Messages.Format("Field_UnsafeText", field)] });
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
        });
    }
}
