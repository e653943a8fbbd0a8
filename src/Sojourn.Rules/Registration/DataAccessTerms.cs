using System.Runtime.CompilerServices;
using Sojourn.Rules.Evaluation;
using Sojourn.Rules.Permits;

namespace Sojourn.Rules.Registration;

/// <summary>
/// Why an official may read a floating person's data in a residence division on a day, from the policy chain in
/// force (<c>dataAccess:</c> in the policy files): the purpose-limitation law an official's stated purpose answers
/// to, the confidentiality articles that bind whoever reads, and each department's duty articles.
/// </summary>
/// <param name="PurposeLimitation">The law requiring a stated, definite purpose (个人信息保护法 第六条), or null when no layer in force names one.</param>
/// <param name="Confidentiality">Bases (<c>policy#article</c>) of every layer's confidentiality article, most specific first.</param>
/// <param name="SilentOnConfidentiality">Ids of the layers whose text says nothing of confidentiality.</param>
/// <param name="Departments">Per department id: the bases of the articles that give it its duty, every layer's, most specific
/// first; an empty list (basis: the chain's most specific policy id) where no layer names one.</param>
public sealed record DataAccessTerms(
    string? PurposeLimitation,
    IReadOnlyList<string> Confidentiality,
    IReadOnlyList<string> SilentOnConfidentiality,
    IReadOnlyDictionary<string, Cited<IReadOnlyList<string>>> Departments,
    IReadOnlyList<string> Policies)
{
    /// <summary>The terms in force, or null when no policy applies to the division on the day.</summary>
    public static DataAccessTerms? For(string residenceDivision, DateOnly on, PolicyCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(residenceDivision);
        var chain = (catalog ?? PolicyCatalog.Default).Resolve(null, residenceDivision, on);

        // The terms depend on the chain alone, and compiled chains are shared: each is read once, not per record
        // of a list or per entry of an audit page.
        return chain is null ? null : ByChain.GetValue(chain, Read);
    }

    private static readonly ConditionalWeakTable<CompiledPolicy, DataAccessTerms> ByChain = [];

    private static DataAccessTerms Read(CompiledPolicy chain)
    {
        var docs = chain.Chain;
        var purpose = docs.Select(d => d.DataAccess.PurposeLimitation?.Law).FirstOrDefault(l => l is not null);
        var confidentiality = new List<string>();
        var silent = new List<string>();
        foreach (var d in docs)
        {
            if (d.DataAccess.Confidentiality is { } c)
            {
                if (c.Article is { } article)
                {
                    confidentiality.Add(CompiledPolicy.Basis(d, article));
                }
                else
                {
                    silent.Add(d.Id);
                }
            }
        }

        // A national duty holds everywhere: every layer's articles count, as for entitlements.
        var departments = new Dictionary<string, Cited<IReadOnlyList<string>>>(StringComparer.Ordinal);
        foreach (var id in Loading.PolicyLoader.DepartmentIds)
        {
            var bases = new List<string>();
            string? note = null;
            foreach (var d in docs)
            {
                if (d.DataAccess.Departments.TryGetValue(id, out var duty))
                {
                    bases.AddRange(duty.Articles.Select(a => CompiledPolicy.Basis(d, a)).Where(b => !bases.Contains(b)));
                    note ??= duty.Note;
                }
            }

            departments[id] = new Cited<IReadOnlyList<string>>(bases, bases.Count > 0 ? string.Join(',', bases) : docs[0].Id, note);
        }

        return new DataAccessTerms(purpose, confidentiality, silent, departments, chain.Ids);
    }
}
