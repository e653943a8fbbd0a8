using Sojourn.Rules.Permits;
using Sojourn.Web.Permits.EPermit;

namespace Sojourn.Web.Permits;

/// <summary>The residence permit module: /api/v1/permits (one file per use case, like Registration/).</summary>
internal static class PermitModule
{
    public static IServiceCollection AddPermits(this IServiceCollection services)
    {
        services.AddPermitUseCases();
        services.AddSingleton<Application.Time.ILegalClock>(sp => sp.GetRequiredService<Hosting.ChinaClock>());
        services.AddScoped<Hosting.IStartupSeeder, PermitDemoSeeder>();
        services.AddEPermit();
        services.AddOptions<PermitSweepOptions>().BindConfiguration("Sojourn:Permits:Sweep");
        services.AddHostedService<PermitSweepService>();
        return services;
    }

    public static IEndpointRouteBuilder MapPermits(this IEndpointRouteBuilder app)
    {
        // Every permit endpoint: purpose check for officials' reads, transaction and the audit entries the use cases declared.
        var group = app.MapGroup("/api/v1/permits").WithTags("居住证 Residence permits")
            .WithPersonalDataAudit(PersonalDataRoute.Permit);
        GetPermit.Map(group);
        app.MapEPermit(group);
        PermitEligibility.Map(group);
        ApplyForPermit.Map(group);
        ApprovePermit.Map(group);
        RefusePermit.Map(group);
        EndorsePermit.Map(group);
        PermitSweepEndpoint.Map(group);
        ChangePermit.Map(group);
        DepartureAndReturn.Map(group);
        CancelPermit.Map(group);
        HolderFacts.Map(group);
        RenewPermit.Map(group);
        ReplacePermit.Map(group);
        RecordTransitionalPermit.Map(group);
        return app;
    }
}
