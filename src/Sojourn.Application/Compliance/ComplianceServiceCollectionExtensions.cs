using Microsoft.Extensions.DependencyInjection;

namespace Sojourn.Application.Compliance;

/// <summary>The compliance use cases and the sweep's sources, for the web host, jobs and the CLI alike.</summary>
public static class ComplianceServiceCollectionExtensions
{
    public static IServiceCollection AddComplianceUseCases(this IServiceCollection services)
    {
        services.AddScoped<ComplianceSweepUseCase>();
        services.AddScoped<ComplianceCaseUseCases>();
        // The sweep's sources, in order; reports (report14) add theirs here: services.AddScoped<IComplianceSource, …>().
        services.AddScoped<IComplianceSource, RegistrationComplianceSource>();
        services.AddScoped<IComplianceSource, PermitComplianceSource>();
        return services;
    }
}
