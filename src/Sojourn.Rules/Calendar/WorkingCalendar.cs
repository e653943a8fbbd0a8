using System.Reflection;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Sojourn.Rules.Calendar;

/// <summary>
/// Working days in mainland China: the State Council's yearly arrangement (holidays and 调休 working
/// weekends, 2004–2026) plus regional layers (新疆, 宁夏) for residences under their territory.
/// </summary>
/// <remarks>
/// Outside the covered years only weekends are rest days: there is no data to do better, and
/// guessing a holiday would move real deadlines. Lookups are one array index (no allocation).
/// </remarks>
public sealed class WorkingCalendar
{
    private readonly CalendarLayer _national;
    private readonly (string Prefix, CalendarLayer Layer)[] _regional;

    private WorkingCalendar(CalendarLayer national, (string, CalendarLayer)[] regional)
    {
        _national = national;
        _regional = regional;
    }

    /// <summary>First day covered by the State Council data.</summary>
    public DateOnly CoveredFrom { get; private init; }

    /// <summary>Last day covered by the State Council data.</summary>
    public DateOnly CoveredUntil { get; private init; }

    /// <summary>The calendar compiled from the embedded data.</summary>
    public static WorkingCalendar Default { get; } = LoadEmbedded();

    /// <summary>The layer for a residence division (national unless a regional layer covers it).</summary>
    public CalendarLayer For(string? divisionCode)
    {
        if (divisionCode is not null)
        {
            foreach (var (prefix, layer) in _regional)
            {
                if (divisionCode.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return layer;
                }
            }
        }

        return _national;
    }

    /// <summary>Whether <paramref name="day"/> is a working day nationally.</summary>
    public bool IsWorkingDay(DateOnly day) => _national.IsWorkingDay(day);

    /// <summary>Builds a calendar from the JSON of data/calendar/cn-holidays.json and regional layers.</summary>
    public static WorkingCalendar Create(string nationalJson, IEnumerable<(string Name, string Yaml)> regionalLayers)
    {
        ArgumentNullException.ThrowIfNull(regionalLayers);
        using var doc = JsonDocument.Parse(nationalJson);
        var root = doc.RootElement;
        var years = root.GetProperty("years");
        var from = new DateOnly(years[0].GetInt32(), 1, 1);
        var until = new DateOnly(years[1].GetInt32(), 12, 31);
        var size = until.DayNumber - from.DayNumber + 1;
        var baseDays = new bool[size];
        for (var i = 0; i < size; i++)
        {
            baseDays[i] = IsWeekday(DateOnly.FromDayNumber(from.DayNumber + i));
        }

        Apply(baseDays, from, root.GetProperty("holidays").EnumerateObject().Select(p => p.Name), false);
        Apply(baseDays, from, root.GetProperty("workdays").EnumerateObject().Select(p => p.Name), true);
        var national = new CalendarLayer("national", from.DayNumber, baseDays);

        var regional = new List<(string, CalendarLayer)>();
        foreach (var (name, yaml) in regionalLayers)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            var map = (YamlMappingNode)stream.Documents[0].RootNode;
            var days = (bool[])baseDays.Clone();
            var region = Scalar(map, "region") ?? name;
            Apply(days, from, Keys(map, "holidays"), false);
            Apply(days, from, Keys(map, "workdays"), true);
            var layer = new CalendarLayer(region, from.DayNumber, days);
            if (map.Children.TryGetValue(new YamlScalarNode("territory"), out var t) && t is YamlSequenceNode seq)
            {
                foreach (var p in seq.Children.OfType<YamlScalarNode>())
                {
                    regional.Add((p.Value!, layer));
                }
            }
        }

        return new WorkingCalendar(national, [.. regional])
        {
            CoveredFrom = from,
            CoveredUntil = until,
        };
    }

    private static WorkingCalendar LoadEmbedded()
    {
        var asm = typeof(WorkingCalendar).Assembly;
        const string prefix = "Sojourn.Rules.Calendar.regional.";
        var regional = asm.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n[prefix.Length..], Read(asm, n)));
        return Create(Read(asm, "Sojourn.Rules.Calendar.cn-holidays.json"), regional);
    }

    private static string Read(Assembly asm, string name)
    {
        using var s = asm.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"缺少嵌入资源 {name}。");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    private static bool IsWeekday(DateOnly d) => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    private static void Apply(bool[] days, DateOnly from, IEnumerable<string> dates, bool working)
    {
        foreach (var s in dates)
        {
            var d = DateOnly.ParseExact(s, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var i = d.DayNumber - from.DayNumber;
            if (i >= 0 && i < days.Length)
            {
                days[i] = working;
            }
        }
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var n) && n is YamlScalarNode s ? s.Value : null;

    private static IEnumerable<string> Keys(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var n) && n is YamlMappingNode m
            ? m.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value!)
            : [];
}

/// <summary>One compiled calendar (national, or national with a regional layer).</summary>
public sealed class CalendarLayer
{
    private readonly int _first;
    private readonly bool[] _working;

    internal CalendarLayer(string name, int first, bool[] working)
    {
        Name = name;
        _first = first;
        _working = working;
    }

    /// <summary>Layer name (<c>national</c>, <c>xinjiang</c>, …).</summary>
    public string Name { get; }

    /// <summary>True on a working day: a weekday that is not a holiday, or a 调休 working weekend.</summary>
    public bool IsWorkingDay(DateOnly day)
    {
        var i = day.DayNumber - _first;
        return (uint)i < (uint)_working.Length
            ? _working[i]
            : day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }
}
