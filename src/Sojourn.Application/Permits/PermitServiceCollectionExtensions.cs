using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sojourn.Application.Events;
using Sojourn.Data.Permits;
using Sojourn.Rules.Evaluation;
using Sojourn.Rules.Permits;

namespace Sojourn.Application.Permits;

/// <summary>The permit module's use cases and the side effects of its events, for the web host, jobs and the CLI alike.</summary>
public static class PermitServiceCollectionExtensions
{
    public static IServiceCollection AddPermitUseCases(this IServiceCollection services)
    {
        services.AddSingleton(PermitLifecycle.Default);
        services.TryAddSingleton(sp => new PolicyService(Evaluator.Default, sp.GetRequiredService<TimeProvider>()));
        // Operational, not law: Sojourn:EPermit in configuration (the host registers IConfiguration).
        services.AddOptions<EPermitOptions>().BindConfiguration("Sojourn:EPermit");
        services.AddScoped<PermitStore>();
        services.AddScoped<GetPermitUseCase>();
        services.AddScoped<ApprovePermitUseCase>();
        services.AddScoped<RefusePermitUseCase>();
        services.AddScoped<SweepPermitsUseCase>();
        services.AddScoped<MyRemindersUseCase>();
        services.AddScoped<ApplyForPermitUseCase>();
        services.AddScoped<CheckEligibilityUseCase>();
        services.AddScoped<EndorsePermitUseCase>();
        services.AddScoped<CancelPermitUseCase>();
        services.AddScoped<HolderFactUseCases>();
        services.AddScoped<DepartureAndReturnUseCase>();
        services.AddScoped<ChangePermitUseCase>();
        services.AddScoped<RenewPermitUseCase>();
        services.AddScoped<ReplacePermitUseCase>();
        services.AddScoped<RecordTransitionalPermitUseCase>();
        services.AddScoped<PermitApplicationTermsUseCase>();
        services.AddScoped<EPermitService>();
        // Run in this order when the unit of work saves: the history row, then the credential and status list.
        services.AddScoped<IDomainEventHandler<PermitDomainEvent>, PermitHistoryHandler>();
        services.AddScoped<IDomainEventHandler<PermitDomainEvent>, EPermitCredentialHandler>();
        return services;
    }
}
