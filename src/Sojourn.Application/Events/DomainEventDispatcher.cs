using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data.Domain;

namespace Sojourn.Application.Events;

/// <summary>A side effect of a domain event, run in the unit of work's transaction before it saves.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "The domain-event pattern's own name (eShop, MediatR).")]
internal interface IDomainEventHandler<in TEvent>
    where TEvent : IDomainEvent
{
    Task HandleAsync(TEvent domainEvent, CancellationToken cancellationToken);
}

/// <summary>
/// Runs the handlers of an event: those registered for its own type, then for each base type that is an event
/// (so a handler of <c>PermitDomainEvent</c> sees every permit step), in registration order.
/// </summary>
public sealed class DomainEventDispatcher(IServiceProvider services)
{
    // Per event type, the handler types of it and its event base types with a typed call each, built once:
    // every saved registration or permit step dispatches, and reflection per event showed in the profile.
    private static readonly ConcurrentDictionary<Type, Route[]> Routes = new();

    private static readonly MethodInfo InvokeMethod =
        typeof(DomainEventDispatcher).GetMethod(nameof(Invoke), BindingFlags.NonPublic | BindingFlags.Static)!;

    public async Task DispatchAsync(IDomainEvent domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        foreach (var route in Routes.GetOrAdd(domainEvent.GetType(), RoutesOf))
        {
            foreach (var handler in services.GetServices(route.HandlerType))
            {
                await route.Handle(handler!, domainEvent, cancellationToken);
            }
        }
    }

    private static Route[] RoutesOf(Type eventType)
    {
        var routes = new List<Route>();
        for (var type = eventType; type is not null && typeof(IDomainEvent).IsAssignableFrom(type); type = type.BaseType)
        {
            routes.Add(new Route(
                typeof(IDomainEventHandler<>).MakeGenericType(type),
                InvokeMethod.MakeGenericMethod(type).CreateDelegate<Func<object, IDomainEvent, CancellationToken, Task>>()));
        }

        return [.. routes];
    }

    private static Task Invoke<TEvent>(object handler, IDomainEvent domainEvent, CancellationToken cancellationToken)
        where TEvent : IDomainEvent =>
        ((IDomainEventHandler<TEvent>)handler).HandleAsync((TEvent)domainEvent, cancellationToken);

    private sealed record Route(Type HandlerType, Func<object, IDomainEvent, CancellationToken, Task> Handle);
}
