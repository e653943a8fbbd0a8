using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sojourn.Bench.Registration;

/// <summary>Command line of the benchmark (and of its <c>generate</c> mode).</summary>
public sealed record BenchOptions
{
    public const string Usage = """
        用法 / usage:
          dotnet run -c Release --project bench/Sojourn.Bench.Registration -- [options]
              --quick               smoke run: --count 60 --warmup 40 --seconds 5, settle at most 5 s
                                    (a few hundred requests; other options given still apply)
              --count N             registrations per measured phase (default 5000)
              --concurrency C,C…    concurrent clients, a list: every phase runs at each (default 8,32)
              --apps A,A…           app processes against the one database, a list (default 1,2): the
                                    clients are spread round-robin over them; 2 starts a second
                                    Sojourn.Web.dll beside the first (same keys and audit files)
              --seconds S           time limit of each measured phase (default 10)
              --warmup W            unmeasured requests to each app process as it starts, and
                                    before the ceilings (default 2000)
              --seed N              generator seed (default 20261130)
              --residence-province  two-digit province of every residence, or "all" (default 14 山西)
              --web-dll PATH        Sojourn.Web.dll to run (default: the one built beside this project)
              --app-npgsql "K=V;…"  extra Npgsql settings for the app's connection string, e.g.
                                    "No Reset On Close=true;Max Auto Prepare=32" (default: none)
              --statements          after each app phase, print the SQL the app ran per request and
                                    where PostgreSQL spent its time (pg_stat_statements; diagnostic)
              --cli-dll PATH        sojourn.dll (src/Sojourn.Cli) for `audit verify` (default: built beside)
              --audit-key-file PATH         Sojourn:Audit:SigningKeyFile of every app node and the CLI
              --audit-checkpoint-file PATH  Sojourn:Audit:CheckpointFile of every app node and the CLI
                                    (defaults: files in a temporary folder, deleted after the run)
          dotnet run --project bench/Sojourn.Bench.Registration -- generate [--count N] [--seed N]
              [--today yyyy-MM-dd] [--residence-province PP|all] [--verify]
              JSON lines of synthetic people on stdout; --verify only checks them.
        """;

    public bool Generate { get; init; }

    /// <summary>The child process of the HTTP floor (started by the benchmark itself, not by hand).</summary>
    public bool Floor { get; init; }
    public bool VerifyOnly { get; init; }
    public bool Help { get; init; }
    public bool Quick { get; init; }
    public int Count { get; init; } = 5000;
    public IReadOnlyList<int> Concurrencies { get; init; } = [8, 32];
    public IReadOnlyList<int> Apps { get; init; } = [1, 2];
    public int Seconds { get; init; } = 10;
    public int Warmup { get; init; } = 2000;
    public int Seed { get; init; } = 20261130;
    public string? ResidenceProvince { get; init; } = "14";
    public DateOnly? Today { get; init; }
    public string? WebDll { get; init; }
    public string? AppNpgsql { get; init; }
    public string? CliDll { get; init; }
    public bool Statements { get; init; }
    public string? AuditKeyFile { get; init; }
    public string? AuditCheckpointFile { get; init; }

    /// <summary>Longest wait for the idle apps to settle after the warm-up.</summary>
    public int SettleSeconds { get; init; } = 30;

    public static BenchOptions Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var o = new BenchOptions();
        if (args is ["floor"])
        {
            return o with { Floor = true };
        }

        var generate = args.Length > 0 && args[0] == "generate";
        if (generate)
        {
            o = o with { Generate = true, Count = 10 };
        }

        // --quick only changes the defaults: the options given beside it win wherever they stand.
        if (!generate && args.Contains("--quick"))
        {
            o = o with { Quick = true, Count = 60, Warmup = 40, Seconds = 5, SettleSeconds = 5 };
        }

        for (var i = generate ? 1 : 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Positive() => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new ArgumentException($"{args[i]} needs a positive whole number.");
            o = args[i] switch
            {
                "--count" or "-n" => o with { Count = Positive() },
                "--concurrency" or "-c" => o with { Concurrencies = PositiveList(args[i], Value()) },
                "--apps" => o with { Apps = PositiveList(args[i], Value()) },
                "--seconds" or "-s" => o with { Seconds = Positive() },
                "--warmup" => o with { Warmup = Positive() },
                "--seed" => o with { Seed = Positive() },
                "--residence-province" => Value() switch
                {
                    "all" => o with { ResidenceProvince = null },
                    var p when p.Length == 2 && p.All(char.IsAsciiDigit) => o with { ResidenceProvince = p },
                    _ => throw new ArgumentException("--residence-province takes two digits (14) or all."),
                },
                "--today" => o with { Today = DateOnly.ParseExact(Value(), "yyyy-MM-dd", CultureInfo.InvariantCulture) },
                "--web-dll" => o with { WebDll = Path.GetFullPath(Value()) },
                "--app-npgsql" => o with { AppNpgsql = Value() },
                "--cli-dll" => o with { CliDll = Path.GetFullPath(Value()) },
                "--audit-key-file" => o with { AuditKeyFile = Path.GetFullPath(Value()) },
                "--audit-checkpoint-file" => o with { AuditCheckpointFile = Path.GetFullPath(Value()) },
                "--verify" => o with { VerifyOnly = true },
                "--statements" => o with { Statements = true },
                "--quick" when !generate => o,
                "--help" or "-h" => o with { Help = true },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }

        return o;
    }

    // "8,32" → [8, 32]: positive whole numbers, each once, in the order given.
    private static int[] PositiveList(string option, string value)
    {
        var items = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var numbers = items.Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 0).ToArray();
        return numbers.Length == 0 || numbers.Contains(0)
            ? throw new ArgumentException($"{option} needs positive whole numbers separated by commas (8,32).")
            : [.. numbers.Distinct()];
    }
}

/// <summary>JSON settings: web defaults (camelCase), Chinese text left readable rather than \u-escaped.</summary>
public static class JsonOptions
{
    public static readonly JsonSerializerOptions Lines = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

/// <summary>Where this benchmark was built from.</summary>
public static class BuildInfo
{
    private static readonly System.Reflection.AssemblyMetadataAttribute[] Metadata =
        [.. System.Reflection.CustomAttributeExtensions.GetCustomAttributes<System.Reflection.AssemblyMetadataAttribute>(typeof(BuildInfo).Assembly)];

    public static string RepoRoot => Metadata.First(a => a.Key == "Sojourn.RepoRoot").Value!;

    public static string Configuration => Metadata.First(a => a.Key == "Sojourn.Configuration").Value!;
}
