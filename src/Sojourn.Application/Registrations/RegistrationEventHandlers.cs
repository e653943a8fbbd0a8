using Sojourn.Application.Events;
using Sojourn.Application.Time;
using Sojourn.Data;
using Sojourn.Data.Registrations;

namespace Sojourn.Application.Registrations;

/// <summary>Appends the version a registration step made to its history (never overwritten) when the unit of work saves.</summary>
internal sealed class RegistrationHistoryHandler(SojournDbContext db) : IDomainEventHandler<RegistrationDomainEvent>
{
    public Task HandleAsync(RegistrationDomainEvent domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        db.RegistrationVersions.Add(domainEvent.Version);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Keeps the registration duty stored on the stay in step with its facts: evaluated again by the rules engine
/// (<see cref="Compliance.RegistrationDuties"/>) when a step changed what the deadline reads (declaration, confirmation,
/// correction, change), as of the legal day of the save.
/// </summary>
internal sealed class RegistrationDutyHandler(ILegalClock clock) : IDomainEventHandler<RegistrationDomainEvent>
{
    public Task HandleAsync(RegistrationDomainEvent domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        if (domainEvent.ChangesDutyFacts)
        {
            Compliance.RegistrationDuties.Apply(domainEvent.Registration, domainEvent.Version.Record, clock.Today);
        }

        return Task.CompletedTask;
    }
}
