using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sojourn.Rules.Tests.Policies;

/// <summary>Turns the YAML of a test case into the contract's JSON.</summary>
internal static class YamlJson
{
    public static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, Convert(kv.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(Convert).ToArray()),
        YamlScalarNode s => Scalar(s),
        _ => null,
    };

    private static JsonValue? Scalar(YamlScalarNode s)
    {
        var v = s.Value ?? "";
        if (s.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(v);
        }

        if (v is "" or "null" or "~")
        {
            return null;
        }

        if (v is "true" or "false")
        {
            return JsonValue.Create(v == "true");
        }

        // Short plain integers are numbers; six digits and more are codes or identity numbers.
        if (v.Length < 6 && int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
        {
            return JsonValue.Create(i);
        }

        return JsonValue.Create(v);
    }
}
