using Microsoft.Extensions.DependencyInjection.Extensions;
using Sojourn.Web.Hosting;
using Sojourn.Web.Http;

namespace Sojourn.Web.Registration;

/// <summary>The residence registration module: /api/v1/registrations.</summary>
internal static class RegistrationModule
{
    public static IServiceCollection AddRegistration(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RegistrationOptions>(configuration.GetSection("Sojourn:Registration"));
        services.TryAddSingleton<Sojourn.Application.Time.ILegalClock>(sp => sp.GetRequiredService<ChinaClock>());
        services.AddSingleton<IRegistrationViews, RegistrationViews>();
        services.AddScoped<IdentityDisclosure>();
        services.AddScoped<RecordValidator>();
        services.AddScoped<RegistrationUseCases>();
        services.AddScoped<RegistrationFieldViews>();
        services.AddScoped<RegistrationContext>();
        services.AddScoped<IStartupSeeder, DemoSeeder>();
        return services;
    }

    public static IEndpointRouteBuilder MapRegistration(this IEndpointRouteBuilder app)
    {
        // Every registration endpoint: purpose check, transaction and the audit entries the use cases declared.
        var group = app.MapGroup("/api/v1/registrations").WithTags("居住登记 Registration")
            .WithPersonalDataAudit(PersonalDataRoute.Registration);
        RegistrationEndpoints.Map(group);
        // Outside the group: the certificate checks the purpose and records its read itself.
        Certificate.Map(app);
        return app;
    }
}
