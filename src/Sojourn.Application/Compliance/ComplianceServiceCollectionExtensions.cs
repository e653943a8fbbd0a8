using Microsoft.Extensions.DependencyInjection;

namespace Sojourn.Application.Compliance;

/// <summary>The compliance use cases and the sweep's sources, for the web host, jobs and the CLI alike.</summary>
public static class ComplianceServiceCollectionExtensions
{
    public static IServiceCollection AddComplianceUseCases(this IServiceCollection services)
    {
        services.AddScoped<ComplianceSweepUseCase>();
        services.AddScoped<ComplianceCaseUseCases>();
        // The sweep's sources, in order: stays, permits' endorsements, third parties' reports, permits to cancel.
        services.AddScoped<IComplianceSource, RegistrationComplianceSource>();
        services.AddScoped<IComplianceSource, PermitComplianceSource>();
        services.AddScoped<IComplianceSource, ReportComplianceSource>();
        services.AddScoped<IComplianceSource, HireComplianceSource>();
        services.AddScoped<IComplianceSource, PermitCancellationSource>();
        services.AddScoped<IComplianceSource, PermitSettlementSource>();
        return services;
    }
}
