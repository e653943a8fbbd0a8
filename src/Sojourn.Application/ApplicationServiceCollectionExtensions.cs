using Microsoft.Extensions.DependencyInjection;
using Sojourn.Application.Actors;
using Sojourn.Application.PersonalData;
using Sojourn.Data.Access;

namespace Sojourn.Application;

/// <summary>Registers the use-case layer's own services (each module adds its use cases).</summary>
public static class ApplicationServiceCollectionExtensions
{
    public static IServiceCollection AddSojournApplication(this IServiceCollection services)
    {
        services.AddScoped<CurrentActor>();
        services.AddScoped<ICurrentActor>(sp => sp.GetRequiredService<CurrentActor>());
        services.AddScoped<PersonalDataLedger>();
        // permits: domain events dispatched when the unit of work saves (modules register their handlers).
        services.AddScoped<Events.DomainEventDispatcher>();
        services.AddScoped<Events.UnitOfWork>();
        // registrations: the version row, then the duty evaluated again, when the unit of work saves.
        services.AddScoped<Events.IDomainEventHandler<Data.Registrations.RegistrationDomainEvent>, Registrations.RegistrationHistoryHandler>();
        services.AddScoped<Events.IDomainEventHandler<Data.Registrations.RegistrationDomainEvent>, Registrations.RegistrationDutyHandler>();
        services.AddScoped<Statistics.RegistrationStatisticsUseCase>();
        return services;
    }
}
