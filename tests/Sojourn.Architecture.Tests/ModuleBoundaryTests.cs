using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Sojourn.Architecture.Tests;

/// <summary>
/// Module boundaries inside the host, read from the compiled IL (Mono.Cecil): the permit and registration modules
/// do not use each other's types (what both need lives in <c>Sojourn.Web.Http</c> or <c>Sojourn.Application</c>),
/// and the persistence, credential and document projects reference nothing of ASP.NET Core. Project references
/// alone cannot see a namespace crossing inside one assembly; this checks every signature and method body.
/// </summary>
public class ModuleBoundaryTests
{
    private const string Permits = "Sojourn.Web.Permits";
    private const string Registration = "Sojourn.Web.Registration";

    /// <summary>
    /// Types whose crossings are still to be removed by the permit rework of issue 12: the demo seeder declares and
    /// confirms its registrations through the registration handlers. The list only shrinks.
    /// </summary>
    private static readonly HashSet<string> Pending =
    [
        "Sojourn.Web.Permits.PermitDemoSeeder",
    ];

    private static readonly Lazy<ModuleDefinition> Web = new(() => Read(typeof(Program).Assembly.Location));

    [Fact]
    public void Permits_UsesNoRegistrationType()
    {
        AssertNone(Crossings(Permits, Registration));
    }

    [Fact]
    public void Registration_UsesNoPermitType()
    {
        AssertNone(Crossings(Registration, Permits));
    }

    /// <summary>
    /// The access area's parts: the audit log and the statistics know nothing of accounts (an account's changes are
    /// audited through the recorder, not the other way round), and the statistics read only through their use case.
    /// </summary>
    [Theory]
    [InlineData("Sojourn.Web.Access.Audit", "Sojourn.Web.Access.Accounts")]
    [InlineData("Sojourn.Web.Access.Audit", "Sojourn.Web.Access.Statistics")]
    [InlineData("Sojourn.Web.Access.Statistics", "Sojourn.Web.Access.Accounts")]
    [InlineData("Sojourn.Web.Access.Statistics", "Sojourn.Web.Access.Audit")]
    public void AccessParts_DoNotUseEachOther(string from, string to)
    {
        AssertNone(Crossings(from, to));
    }

    [Fact]
    public void Crossings_FindsAUseInAMethodBody()
    {
        // The check itself: the certificate (registration) renders through the shared holder in Web/Http.
        Assert.Contains(Crossings("Sojourn.Web.Registration", "Sojourn.Web.Http"),
            c => c == ("Sojourn.Web.Registration.Certificate", "Sojourn.Web.Http.PdfAnswers"));
    }

    [Theory]
    [InlineData(typeof(Sojourn.Data.AssemblyMarker))]
    [InlineData(typeof(Sojourn.Credentials.IssuerKeyRing))]
    [InlineData(typeof(Sojourn.Documents.PdfRenderer))]
    public void LowerProjects_ReferenceNoAspNetCore(Type marker)
    {
        var module = Read(marker.Assembly.Location);
        Assert.DoesNotContain(module.AssemblyReferences, r => IsAspNetCore(r.Name));
        var types = module.GetTypeReferences()
            .Where(t => t.Scope is AssemblyNameReference a && IsAspNetCore(a.Name))
            .Select(t => t.FullName)
            .ToList();
        Assert.Empty(types);
    }

    private static bool IsAspNetCore(string assembly) =>
        assembly.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal);

    private static ModuleDefinition Read(string path) =>
        ModuleDefinition.ReadModule(path, new ReaderParameters { ReadSymbols = false });

    private static void AssertNone(IEnumerable<(string From, string To)> crossings)
    {
        var found = crossings.Where(c => !Pending.Contains(c.From)).Select(c => c.From + " -> " + c.To).Order(StringComparer.Ordinal).ToList();
        Assert.True(found.Count == 0, "Module boundary crossed:\n" + string.Join("\n", found));
    }

    /// <summary>(top-level type in <paramref name="from"/>, top-level type in <paramref name="to"/>) for every use.</summary>
    private static HashSet<(string From, string To)> Crossings(string from, string to)
    {
        var found = new HashSet<(string, string)>();
        foreach (var type in Web.Value.GetTypes())
        {
            var owner = TopLevel(type);
            if (!InNamespace(owner.Namespace, from))
            {
                continue;
            }

            foreach (var used in Uses(type).Select(TopLevelOf).OfType<TypeReference>())
            {
                if (InNamespace(used.Namespace, to))
                {
                    found.Add((owner.FullName, used.FullName));
                }
            }
        }

        return found;
    }

    private static bool InNamespace(string ns, string module) =>
        ns == module || ns.StartsWith(module + ".", StringComparison.Ordinal);

    private static TypeReference TopLevel(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    /// <summary>The declared types behind a use: array, by-ref, pointer and generic arguments unwrapped.</summary>
    private static IEnumerable<TypeReference> Unwrap(TypeReference? type)
    {
        if (type is null || type is GenericParameter)
        {
            yield break;
        }

        if (type is GenericInstanceType generic)
        {
            foreach (var inner in Unwrap(generic.ElementType).Concat(generic.GenericArguments.SelectMany(Unwrap)))
            {
                yield return inner;
            }
        }
        else if (type is TypeSpecification spec)
        {
            foreach (var inner in Unwrap(spec.ElementType))
            {
                yield return inner;
            }
        }
        else
        {
            yield return type;
        }
    }

    private static TypeReference? TopLevelOf(TypeReference type) => TopLevel(type);

    private static IEnumerable<TypeReference> Uses(TypeDefinition type)
    {
        var direct = new List<TypeReference?> { type.BaseType };
        direct.AddRange(type.Interfaces.Select(i => i.InterfaceType));
        direct.AddRange(type.CustomAttributes.Select(a => a.AttributeType));
        direct.AddRange(type.Fields.Select(f => f.FieldType));
        direct.AddRange(type.Properties.Select(p => p.PropertyType));
        direct.AddRange(type.Events.Select(e => e.EventType));
        foreach (var method in type.Methods)
        {
            direct.AddRange(Signature(method));
            direct.AddRange(method.CustomAttributes.Select(a => a.AttributeType));
            if (!method.HasBody)
            {
                continue;
            }

            direct.AddRange(method.Body.Variables.Select(v => v.VariableType));
            foreach (var instruction in method.Body.Instructions)
            {
                direct.AddRange(Operand(instruction));
            }
        }

        return direct.SelectMany(Unwrap);
    }

    private static IEnumerable<TypeReference?> Signature(MethodReference method)
    {
        yield return method.DeclaringType;
        yield return method.ReturnType;
        foreach (var parameter in method.Parameters)
        {
            yield return parameter.ParameterType;
        }

        if (method is GenericInstanceMethod generic)
        {
            foreach (var argument in generic.GenericArguments)
            {
                yield return argument;
            }
        }
    }

    private static IEnumerable<TypeReference?> Operand(Instruction instruction) => instruction.Operand switch
    {
        TypeReference type => [type],
        MethodReference method => Signature(method),
        FieldReference field => [field.DeclaringType, field.FieldType],
        _ => [],
    };
}
