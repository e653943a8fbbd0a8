using System.ComponentModel.DataAnnotations.Schema;

namespace Sojourn.Data.Domain;

/// <summary>Something that happened to an aggregate, raised by the aggregate's own method (as eShop's <c>Order</c>).</summary>
public interface IDomainEvent;

/// <summary>An entity that raises domain events; the unit of work dispatches and clears them when it saves.</summary>
public interface IHasDomainEvents
{
    IReadOnlyList<IDomainEvent> DomainEvents { get; }

    void ClearDomainEvents();
}

/// <summary>
/// Base of an aggregate: the events raised since it was loaded, kept in memory only (never mapped). The side
/// effects (history rows, credentials, reminders) run from them once, when the unit of work saves.
/// </summary>
public abstract class AggregateRoot : IHasDomainEvents
{
    private readonly List<IDomainEvent> _domainEvents = [];

    [NotMapped]
    public IReadOnlyList<IDomainEvent> DomainEvents => _domainEvents;

    protected void Raise(IDomainEvent domainEvent)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        _domainEvents.Add(domainEvent);
    }

    public void ClearDomainEvents() => _domainEvents.Clear();
}

/// <summary>A transition asked of an aggregate in a state that does not allow it (the use case checks first).</summary>
internal sealed class DomainRuleException(string step, string state)
    : InvalidOperationException($"'{step}' is not open in state '{state}'.")
{
    public string Step { get; } = step;

    public string State { get; } = state;
}
