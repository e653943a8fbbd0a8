using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Sojourn.Rules.Evaluation;

// Rules-engine throughput on one core (Stopwatch loops; see README.md). A realistic mix of cases
// over every province with a policy, parsed once; then timed:
//   1. deadline + status pass (EvaluateDuties on a pre-resolved chain: the hot path of batch jobs),
//   2. full evaluation (resolve chain + floating + duties + permit + penalties + entitlements),
//   3. full evaluation plus JSON output (what the CLI and HTTP endpoint do per case).
var count = Arg("--cases", 20_000);
var seconds = Arg("--seconds", 3);
PinToOneCore(Arg("--core", Environment.ProcessorCount - 1));

var evaluator = Evaluator.Default;
var parser = new CaseParser(TimeProvider.System);
var cases = Generate(count, 20261130).Select(j =>
{
    using var doc = JsonDocument.Parse(j);
    return parser.Parse(doc.RootElement, out var e) ?? throw new InvalidOperationException(e!.Message);
}).ToArray();
var policies = cases.Select(c => evaluator.Resolve(c)!).ToArray();
var buffer = new DutyOutcome[32];
Console.WriteLine($"cases: {cases.Length}, policies: {string.Join(", ", policies.Select(p => p.Key).Distinct().Order(StringComparer.Ordinal))}");

var dutiesPerCase = 0.0;
Measure("deadline+status (EvaluateDuties)", () =>
{
    long duties = 0;
    for (var i = 0; i < cases.Length; i++)
    {
        duties += evaluator.EvaluateDuties(cases[i], policies[i], buffer);
    }

    dutiesPerCase = (double)duties / cases.Length;
});
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  (avg {dutiesPerCase:F2} duties per case)"));

Measure("full evaluation (Resolve + Evaluate)", () =>
{
    for (var i = 0; i < cases.Length; i++)
    {
        _ = evaluator.Evaluate(cases[i], evaluator.Resolve(cases[i])!);
    }
});

var sink = new MemoryStream();
Measure("full evaluation + JSON", () =>
{
    for (var i = 0; i < cases.Length; i++)
    {
        sink.SetLength(0);
        using var w = new Utf8JsonWriter(sink);
        ResultWriter.Write(w, evaluator.Evaluate(cases[i], evaluator.Resolve(cases[i])!));
    }
});

void Measure(string name, Action pass)
{
    pass(); // warm-up: JIT, tiered PGO, caches
    pass();
    var sw = Stopwatch.StartNew();
    long n = 0;
    var gc0 = GC.CollectionCount(0);
    var alloc0 = GC.GetAllocatedBytesForCurrentThread();
    while (sw.Elapsed.TotalSeconds < seconds)
    {
        pass();
        n += cases.Length;
    }

    sw.Stop();
    var perCaseBytes = (double)(GC.GetAllocatedBytesForCurrentThread() - alloc0) / n;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-40} {n / sw.Elapsed.TotalSeconds,14:N0} cases/s   {perCaseBytes,8:F0} B/case   gen0 {GC.CollectionCount(0) - gc0}"));
}

static void PinToOneCore(int core)
{
    if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
    {
        Process.GetCurrentProcess().ProcessorAffinity = (nint)1 << core;
    }
}

static int Arg(string name, int fallback)
{
    var args = Environment.GetCommandLineArgs();
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

// A mix like a city's daily batch: mostly renters and workers, some hotels, students, permits,
// late and missing reports, across the provinces that have policies and a national-only city.
static IEnumerable<string> Generate(int n, int seed)
{
    var rng = new Random(seed);
    string[] residences = ["140105", "140213", "140107", "370102", "370112", "370124", "330102", "331002", "650102", "650104", "640104", "110105"];
    string[] hukous = ["370102", "140105", "410105", "510104", "130102", "140121", "650102", "331002"];
    string[] purposes = ["work", "work", "work", "business", "study", "family-visit", "tourism"];
    string[] lodgings = ["rental", "rental", "rental", "employer-dormitory", "owned", "relatives", "hotel"];
    var asOf = new DateOnly(2026, 6, 1);
    for (var i = 0; i < n; i++)
    {
        var arrived = asOf.AddDays(-rng.Next(1, 400));
        string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string? Maybe(DateOnly from, int within, double p) => rng.NextDouble() < p ? D(from.AddDays(rng.Next(0, within))) : null;
        var registered = Maybe(arrived, 20, 0.8);
        var hasPermit = registered is not null && rng.NextDouble() < 0.3;
        var applied = hasPermit ? DateOnly.Parse(registered!, CultureInfo.InvariantCulture).AddMonths(6) : (DateOnly?)null;
        var json = new Dictionary<string, object?>
        {
            ["asOf"] = D(asOf),
            ["person"] = new { birthDate = D(new DateOnly(1960 + rng.Next(45), 1 + rng.Next(12), 1 + rng.Next(28))), hukouDivision = hukous[rng.Next(hukous.Length)] },
            ["stay"] = new
            {
                residenceDivision = residences[rng.Next(residences.Length)],
                arrivedOn = D(arrived),
                intendedDays = rng.Next(5, 800),
                purpose = purposes[rng.Next(purposes.Length)],
                lodging = lodgings[rng.Next(lodgings.Length)],
                remoteArea = rng.NextDouble() < 0.05,
            },
            ["facts"] = new { registeredOn = registered, socialInsuranceMonths = rng.Next(0, 24), rentalContract = rng.NextDouble() < 0.6 },
            ["landlord"] = rng.NextDouble() < 0.6
                ? new { movedInAt = D(arrived) + "T" + rng.Next(8, 22).ToString("00", CultureInfo.InvariantCulture) + ":30", reportedOn = Maybe(arrived, 20, 0.7) }
                : null,
            ["employer"] = rng.NextDouble() < 0.5 ? new { hiredOn = D(arrived.AddDays(rng.Next(0, 10))), reportedOn = Maybe(arrived, 25, 0.6) } : null,
            ["permit"] = hasPermit && applied < asOf
                ? new { appliedOn = D(applied!.Value), issuedOn = Maybe(applied!.Value, 20, 0.8) }
                : null,
        };
        yield return JsonSerializer.Serialize(json);
    }
}
