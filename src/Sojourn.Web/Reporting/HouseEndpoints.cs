using Sojourn.Application.Actors;
using Sojourn.Application.Houses;
using Sojourn.Web.Http;

namespace Sojourn.Web.Reporting;

/// <summary>The house view (以房找人、以人找房): /api/v1/houses, officials within their jurisdiction, every person listed audited.</summary>
internal static class HouseEndpoints
{
    public static IServiceCollection AddHouses(this IServiceCollection services)
    {
        services.AddScoped<HouseUseCases>();
        return services;
    }

    public static IEndpointRouteBuilder MapHouses(this IEndpointRouteBuilder app)
    {
        // A read of the people who live at a house states its purpose and is audited like a registration read.
        var group = app.MapGroup("/api/v1").WithTags("房屋 Houses")
            .WithPersonalDataAudit(PersonalDataRoute.Registration);
        group.MapGet("/houses", async (string? q, int? take, HouseUseCases houses, CurrentActor actor, HttpContext http, CancellationToken ct) =>
                (await houses.SearchAsync(new HouseSearchQuery(q, take), actor, ct)).ToOk(http))
            .WithName("SearchHouses")
            .WithSummary("按地址或房屋编号查找辖区内的房屋")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/houses/{id:guid}", async (Guid id, HouseUseCases houses, CurrentActor actor, HttpContext http, CancellationToken ct) =>
                (await houses.GetAsync(id, actor, ct)).ToOk(http))
            .WithName("GetHouse")
            .WithSummary("以房找人：房屋、房间、房东，现住人员和曾住人员（含日期）")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/registrations/{id:guid}/places", async (Guid id, HouseUseCases houses, CurrentActor actor, HttpContext http, CancellationToken ct) =>
                (await houses.PlacesOfPersonAsync(id, actor, ct)).ToOk(http))
            .WithName("GetPersonPlaces")
            .WithSummary("以人找房：此人住过的地址、房屋和房间（含日期）")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }
}
