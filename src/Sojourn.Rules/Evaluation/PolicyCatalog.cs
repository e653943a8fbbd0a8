using System.Collections.Concurrent;
using Sojourn.Rules.Calendar;
using Sojourn.Rules.Divisions;
using Sojourn.Rules.Loading;

namespace Sojourn.Rules.Evaluation;

/// <summary>
/// All policies, loaded and validated once, with resolution of the chain that applies to a
/// residence division on a day and a cache of compiled chains.
/// </summary>
public sealed class PolicyCatalog
{
    private static readonly Lazy<PolicyCatalog> Lazy = new(() => new PolicyCatalog(PolicyLoader.LoadEmbedded(), WorkingCalendar.Default));
    private readonly Dictionary<string, PolicyDocument> _byId;
    private readonly ConcurrentDictionary<string, CompiledPolicy> _compiled = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, CompiledPolicy> _byKey = new();
    private readonly Dictionary<string, PolicyDocument[]> _ancestors;
    private readonly Dictionary<string, int> _index;

    /// <summary>Creates a catalog over loaded documents.</summary>
    public PolicyCatalog(IReadOnlyList<PolicyDocument> policies, WorkingCalendar calendar, DivisionTable? divisions = null)
    {
        Policies = policies;
        Calendar = calendar;
        Divisions = divisions ?? DivisionTable.Default;
        _byId = policies.ToDictionary(p => p.Id, StringComparer.Ordinal);
        _index = policies.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        _ancestors = policies.ToDictionary(p => p.Id, p =>
        {
            var list = new List<PolicyDocument>();
            for (var a = p.Parent; a is not null; a = _byId[a].Parent)
            {
                list.Add(_byId[a]);
            }

            return list.ToArray();
        }, StringComparer.Ordinal);
    }

    /// <summary>The embedded policies and calendar.</summary>
    public static PolicyCatalog Default => Lazy.Value;

    /// <summary>Every policy.</summary>
    public IReadOnlyList<PolicyDocument> Policies { get; }

    /// <summary>The working-day calendar.</summary>
    public WorkingCalendar Calendar { get; }

    /// <summary>GB/T 2260 divisions.</summary>
    public DivisionTable Divisions { get; }

    /// <summary>A policy by id, or null.</summary>
    public PolicyDocument? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>
    /// The chain for a case: the named policy, or the most specific one in force for the division on
    /// the day; then its ancestors in force that day. Null when nothing applies.
    /// </summary>
    public CompiledPolicy? Resolve(string? policyId, string division, DateOnly asOf)
    {
        PolicyDocument? top;
        if (policyId is not null)
        {
            top = Find(policyId);
        }
        else
        {
            top = null;
            var bestSpec = -1;
            var bestDepth = -1;
            foreach (var p in Policies)
            {
                if (!p.InForceOn(asOf))
                {
                    continue;
                }

                var spec = p.Specificity(division);
                var depth = Depth(p);
                if (spec > bestSpec || (spec == bestSpec && spec >= 0 && depth > bestDepth))
                {
                    (top, bestSpec, bestDepth) = (p, spec, depth);
                }
            }
        }

        if (top is null)
        {
            return null;
        }

        // Key: the top policy and which ancestors are in force, so the hot path allocates nothing.
        var ancestors = _ancestors[top.Id];
        long key = _index[top.Id];
        for (var i = 0; i < ancestors.Length; i++)
        {
            if (ancestors[i].InForceOn(asOf))
            {
                key |= 1L << (16 + i);
            }
        }

        if (_byKey.TryGetValue(key, out var compiled))
        {
            return compiled;
        }

        var chain = new List<PolicyDocument> { top };
        chain.AddRange(ancestors.Where(a => a.InForceOn(asOf)));
        var name = string.Join('>', chain.Select(c => c.Id));
        return _byKey.GetOrAdd(key, _ => _compiled.GetOrAdd(name, _ => new CompiledPolicy(chain)));
    }

    /// <summary>Compiles a policy with all its ancestors regardless of dates (for show/diff).</summary>
    public CompiledPolicy Compile(string policyId)
    {
        var top = Find(policyId) ?? throw new ArgumentException($"未知的政策 {policyId}", nameof(policyId));
        var chain = new List<PolicyDocument> { top };
        for (var p = top.Parent; p is not null; p = _byId[p].Parent)
        {
            chain.Add(_byId[p]);
        }

        return _compiled.GetOrAdd(string.Join('>', chain.Select(c => c.Id)) + "!", _ => new CompiledPolicy(chain));
    }

    /// <summary>
    /// A chain by its key (<c>shanxi-2017&gt;cn-2016</c>, <see cref="CompiledPolicy.Key"/>), as stored with a decision:
    /// the same layers, whatever is in force today. Null when a policy of the key is unknown.
    /// </summary>
    public CompiledPolicy? ChainOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var ids = key.Split('>');
        if (ids.Any(id => !_byId.ContainsKey(id)))
        {
            return null;
        }

        return _compiled.GetOrAdd(key, _ => new CompiledPolicy([.. ids.Select(id => _byId[id])]));
    }

    private int Depth(PolicyDocument p)
    {
        var n = 0;
        for (var x = p.Parent; x is not null; x = _byId[x].Parent)
        {
            n++;
        }

        return n;
    }
}
