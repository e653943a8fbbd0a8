using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.HttpOverrides;
using Scalar.AspNetCore;
using Sojourn.Data;
using Sojourn.Data.Security;

namespace Sojourn.Web.Hosting;

/// <summary>Cross-cutting host set-up: errors, localisation, JSON, OpenAPI, database, crypto, clock.</summary>
internal static class HostingExtensions
{
    private static readonly string[] Cultures = ["zh-CN", "en"];

    private const string ApiDescription = """
        约定 Conventions:
        - 错误均为 RFC 9457 ProblemDetails，含稳定的数字 `errorCode`，字段错误在 `errors`（按字段名）。
        - 认证：`Authorization: Bearer sjt_…`（`POST /api/v1/auth/sign-in` 取得；系统对接令牌由管理员在网页登录后用 `POST /api/v1/auth/tokens` 签发）；网页使用登录 Cookie。
        - 官员查阅个人信息须带 `X-Sojourn-Purpose`（用途，ASCII，如 `case-handling`），与查阅者、时间、字段一起记入审计。
        - `Idempotency-Key`: 写入类 POST 可带此头；重复请求返回首次结果（头 `Idempotent-Replayed: true`，保留 24 小时），同键不同内容返回 422；查询类 POST（如按身份号码查找）不保留结果，重复即重新查询并审计。重复申报返回 409 时，`existingId` 为调用者可见的已有登记。
        - 修改类请求须带 `If-Match`（ETag）或请求体 `version`；版本过期返回 409，缺少返回 428。
        - 公民身份号码在响应中脱敏（1401**********1234）。`Accept-Language: en` 返回英文提示。
        """;

    public static WebApplicationBuilder AddSojournHost(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var configuration = builder.Configuration;
        DefaultAddress.UseUnlessConfigured(builder);

        // The server's software is nobody's business.
        builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);
        // HSTS on HTTPS requests (not for localhost); behind a TLS-terminating proxy on this host,
        // Sojourn:Host:ForwardedHeaders=true makes its X-Forwarded-Proto count.
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = true;
        });
        services.Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto);
        services.AddProblemDetails();
        services.AddExceptionHandler<UnexpectedExceptionHandler>();
        // Bad request bodies throw, so the exception handler turns them into a 400 ProblemDetails.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            // One text rule for every stored field, at the boundary (Domain.StoredText).
            o.SerializerOptions.Converters.Add(new SafeStringConverter());
            foreach (var converter in BoundedDates.Converters)
            {
                o.SerializerOptions.Converters.Add(converter);
            }
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        });
        services.AddLocalization();
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Sojourn 流动人口服务管理平台 API";
            document.Info.Description = ApiDescription;
            return Task.CompletedTask;
        }));

        services.Configure<SojournOptions>(configuration.GetSection("Sojourn"));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ChinaClock>();
        // Every module that prints a document (permit face, registration certificate) shares one renderer.
        services.AddSingleton<Http.PdfRendererHolder>();
        services.AddSingleton(sp => ProtectorConfiguration.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSojournData(configuration, RepoPaths.DefaultSqlitePath(builder.Environment.ContentRootPath));
        return builder;
    }

    public static WebApplication UseSojournHost(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.GetCultureInfo("zh-CN");
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        // Localisation first, so that error responses written further in speak the request's language.
        app.UseRequestLocalization(o =>
        {
            o.SetDefaultCulture("zh-CN");
            o.AddSupportedCultures(Cultures);
            o.AddSupportedUICultures(Cultures);
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;
        });
        if (app.Configuration.GetValue("Sojourn:Host:ForwardedHeaders", false))
        {
            app.UseForwardedHeaders();
        }

        app.UseHsts();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<TextBoundaryMiddleware>();
        // Signed in before the idempotency cache, so replays are checked against an authorised request.
        Access.AccessModule.UseAccess(app);
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapOpenApi();
        app.MapScalarApiReference("/docs", o => o.WithTitle("Sojourn 接口文档"));
        return app;
    }

    /// <summary>Migrates the schema at start-up and, when configured, seeds demo data into an empty database.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        await db.MigrateSojournDatabaseAsync(cancellationToken);
        foreach (var seeder in scope.ServiceProvider.GetServices<IStartupSeeder>())
        {
            await seeder.SeedAsync(cancellationToken);
        }
    }
}

/// <summary>Runs after migration at start-up (e.g. demo data).</summary>
internal interface IStartupSeeder
{
    Task SeedAsync(CancellationToken cancellationToken);
}
