using System.Text.Json;

namespace Sojourn.Application.Reporting;

/// <summary>A station's published contact for complaints and tip-offs (宁夏 第四十一条), and the divisions it serves.</summary>
public sealed record StationContact(
    string Code, string Name, IReadOnlyList<string> Jurisdiction, string Hotline, string Mailbox, string? Email, string Address);

/// <summary>
/// The stations that take tip-offs, read from the data file Reporting/stations.json (embedded): a deployment lists
/// its own stations and their published hotline and mailbox there, not in code. An address belongs to the station
/// whose jurisdiction code is its longest prefix.
/// </summary>
internal sealed class StationDirectory
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private StationDirectory(IReadOnlyList<StationContact> stations, string basis)
    {
        Stations = stations;
        Basis = basis;
    }

    public static StationDirectory Default { get; } = Load();

    public IReadOnlyList<StationContact> Stations { get; }

    /// <summary>The article that makes stations publish the contact (<c>ningxia-2013#41</c>).</summary>
    public string Basis { get; }

    /// <summary>The station serving a division code, or null where no station in the file serves it.</summary>
    public StationContact? For(string? divisionCode)
    {
        if (string.IsNullOrEmpty(divisionCode))
        {
            return null;
        }

        return Stations
            .SelectMany(s => s.Jurisdiction.Where(j => divisionCode.StartsWith(j, StringComparison.Ordinal)).Select(j => (s, j.Length)))
            .OrderByDescending(x => x.Length)
            .ThenBy(x => x.s.Code, StringComparer.Ordinal)
            .Select(x => x.s)
            .FirstOrDefault();
    }

    public StationContact? ByCode(string? code) => Stations.FirstOrDefault(s => s.Code == code);

    public static StationDirectory Load()
    {
        using var stream = typeof(StationDirectory).Assembly.GetManifestResourceStream("Sojourn.Application.Reporting.stations.json")
            ?? throw new InvalidOperationException("Reporting/stations.json is not embedded.");
        var file = JsonSerializer.Deserialize<StationFile>(stream, Json) ?? throw new InvalidOperationException("stations.json is empty.");
        var stations = (file.Stations ?? []).ToList();
        foreach (var s in stations)
        {
            if (s.Code.Length == 0 || s.Name.Length == 0 || s.Hotline.Length == 0 || s.Mailbox.Length == 0 || s.Jurisdiction.Count == 0)
            {
                throw new InvalidOperationException($"stations.json: station '{s.Code}' needs a code, name, hotline, mailbox and jurisdiction.");
            }
        }

        if (stations.Select(s => s.Code).Distinct(StringComparer.Ordinal).Count() != stations.Count)
        {
            throw new InvalidOperationException("stations.json: station codes must be unique.");
        }

        return new StationDirectory(stations, file.Basis ?? "");
    }

    private sealed record StationFile(string? Basis, IReadOnlyList<StationContact>? Stations);
}
