using Sojourn.Rules.Evaluation;
using Sojourn.Rules.Permits;
using Sojourn.Web.Permits.EPermit;

namespace Sojourn.Web.Permits;

/// <summary>The residence permit module: /api/v1/permits (one file per use case, like Registration/).</summary>
public static class PermitModule
{
    public static IServiceCollection AddPermits(this IServiceCollection services)
    {
        services.AddSingleton(PermitLifecycle.Default);
        services.AddSingleton(sp => new PolicyService(Evaluator.Default, sp.GetRequiredService<TimeProvider>()));
        services.AddScoped<PermitContext>();
        services.AddScoped<PermitAccessFilter>();
        services.AddScoped<Hosting.IStartupSeeder, PermitDemoSeeder>();
        // Side effects of a permit step, run from its events when the unit of work saves: the history row first.
        services.AddScoped<Application.Events.IDomainEventHandler<Data.Permits.PermitDomainEvent>, Application.Permits.PermitHistoryHandler>();
        services.AddEPermit();
        services.AddScoped<PermitSweeper>();
        services.AddScoped<IPermitSweepStep, DepartureSweepStep>();
        services.AddOptions<PermitSweepOptions>().BindConfiguration("Sojourn:Permits:Sweep");
        services.AddHostedService<PermitSweepService>();
        return services;
    }

    public static IEndpointRouteBuilder MapPermits(this IEndpointRouteBuilder app)
    {
        // Every permit endpoint: purpose check for officials' reads, audit of the person's data in the same transaction.
        var group = app.MapGroup("/api/v1/permits").WithTags("居住证 Residence permits")
            .AddEndpointFilter<PermitAccessFilter>();
        GetPermit.Map(group);
        app.MapEPermit(group);
        PermitEligibility.Map(group);
        ApplyForPermit.Map(group);
        ApprovePermit.Map(group);
        RefusePermit.Map(group);
        EndorsePermit.Map(group);
        PermitSweeper.Map(group);
        ChangePermit.Map(group);
        DepartureAndReturn.Map(group);
        CancelPermit.Map(group);
        RenewPermit.Map(group);
        ReplacePermit.Map(group);
        RecordTransitionalPermit.Map(group);
        return app;
    }
}
