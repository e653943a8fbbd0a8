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
    public async Task DispatchAsync(IDomainEvent domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        for (var type = domainEvent.GetType(); type is not null && typeof(IDomainEvent).IsAssignableFrom(type); type = type.BaseType)
        {
            var handlerType = typeof(IDomainEventHandler<>).MakeGenericType(type);
            var handle = handlerType.GetMethod(nameof(IDomainEventHandler<IDomainEvent>.HandleAsync))!;
            foreach (var handler in services.GetServices(handlerType))
            {
                await (Task)handle.Invoke(handler, [domainEvent, cancellationToken])!;
            }
        }
    }
}
