using Sojourn.Web.Hosting;

namespace Sojourn.Web.Registration;

/// <summary>The residence registration module: /api/v1/registrations.</summary>
public static class RegistrationModule
{
    public static IServiceCollection AddRegistration(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RegistrationOptions>(configuration.GetSection("Sojourn:Registration"));
        services.AddScoped<IdentityDisclosure>();
        services.AddScoped<Access.RegistrationAccessFilter>();
        services.AddScoped<RecordValidator>();
        services.AddScoped<RegistrationContext>();
        services.AddScoped<IStartupSeeder, DemoSeeder>();
        return services;
    }

    public static IEndpointRouteBuilder MapRegistration(this IEndpointRouteBuilder app)
    {
        // Every registration endpoint: purpose check, field view, audit (Access/AuditRecorder.cs).
        var group = app.MapGroup("/api/v1/registrations").WithTags("居住登记 Registration")
            .AddEndpointFilter<Access.RegistrationAccessFilter>();
        DeclareRegistration.Map(group);
        Confirm.Map(group);
        Correct.Map(group);
        Change.Map(group);
        Depart.Map(group);
        GetRegistration.Map(group);
        GetVersions.Map(group);
        ListRegistrations.Map(group);
        Photos.Map(group);
        SearchByIdNumber.Map(group);
        // Outside the group: the certificate checks the purpose and records its read itself.
        Certificate.Map(app);
        return app;
    }
}
