using System.Reflection;
using Microsoft.AspNetCore.Components;

namespace Sojourn.Architecture.Tests;

/// <summary>
/// A page reaches data only through PageActions (ADR 0007): a component that injected a use case, a store or the
/// database context would run it in the circuit's long-lived scope, as whoever that scope first saw, with no purpose
/// check and no audit entry.
/// </summary>
public sealed class PageBoundaryTests
{
    private static readonly Assembly Web = typeof(Program).Assembly;

    [Fact]
    public void Components_InjectNoUseCaseStoreOrDbContext()
    {
        var application = typeof(Application.Errors.Failure).Assembly;
        var data = typeof(Data.SojournDbContext).Assembly;
        var offenders = (
            from type in Web.GetTypes()
            where typeof(IComponent).IsAssignableFrom(type)
            from property in type.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            where property.GetCustomAttribute<InjectAttribute>() is not null
            let service = property.PropertyType
            where service.Assembly == application || service.Assembly == data
            select $"{type.FullName}.{property.Name} ({service.Name})")
            .Concat(
                from type in Web.GetTypes()
                where typeof(IComponent).IsAssignableFrom(type)
                from constructor in type.GetConstructors()
                from parameter in constructor.GetParameters()
                where parameter.ParameterType.Assembly == application || parameter.ParameterType.Assembly == data
                select $"{type.FullName}({parameter.Name}: {parameter.ParameterType.Name})")
            .ToList();
        Assert.True(offenders.Count == 0, "Components must call use cases through PageActions: " + string.Join(", ", offenders));
    }
}
