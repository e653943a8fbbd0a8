using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing.Patterns;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Web.Access.Accounts;
using Sojourn.Web.Access.Audit;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Access;

/// <summary>
/// Accounts, sign-in, tokens, authorization by the access table, rate limits and security headers
/// (docs/adr/0003-access-and-audit.md).
/// </summary>
internal static class AccessModule
{
    public const string SignInLimit = "sign-in";
    public const string IdLookupLimit = "id-lookup";
    public const string SmartScheme = "Sojourn";
    public const string OidcScheme = "oidc";

    public static IServiceCollection AddAccess(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AccessOptions>(configuration.GetSection("Sojourn:Access"));
        services.AddSingleton(AccessPolicy.Load());
        services.AddHttpContextAccessor();
        services.AddSojournApplication();
        services.AddScoped<Application.Actors.IActorSource, ClaimsActorSource>();
        services.AddScoped<ApiTokenService>();
        services.AddScoped<AccountAdministration>();
        services.AddScoped<KeyRotationQueries>();
        services.AddScoped<SignInGuard>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<ApiTokenCache>();
        services.AddAuditLog(configuration);

        services.Configure<ReEncryptOptions>(configuration.GetSection("Sojourn:Crypto:ReEncrypt"));
        services.AddSingleton<CipherRotationService>();
        if (configuration.GetValue("Sojourn:Crypto:ReEncrypt:Enabled", false))
        {
            services.AddHostedService(sp => sp.GetRequiredService<CipherRotationService>());
        }

        services.AddScoped<IStartupSeeder, AccountSeeder>();

        services.AddIdentityCore<SojournUser>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireUppercase = true;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 5;
                // Lockout is the administrator's lock only; failed sign-ins back off per user name and source
                // (SignInGuard), so a stranger cannot keep an account locked.
                o.Lockout.AllowedForNewUsers = true;
                o.Tokens.AuthenticatorTokenProvider = OneTimeCodeProvider.Name;
                o.User.RequireUniqueEmail = false;
            })
            .AddSignInManager()
            .AddEntityFrameworkStores<SojournDbContext>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<OneTimeCodeProvider>(OneTimeCodeProvider.Name)
            .AddClaimsPrincipalFactory<SojournClaimsFactory>();
        // PBKDF2-HMAC-SHA512 (Identity v3 format) with OWASP's 2023 iteration count.
        services.Configure<PasswordHasherOptions>(o => o.IterationCount = 210_000);
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            // Keep "this session passed the second factor" across the periodic refresh of the cookie's principal.
            o.OnRefreshingPrincipal = ctx =>
            {
                if (ctx.CurrentPrincipal?.FindFirst(SojournClaims.SecondFactor) is { } passed)
                {
                    (ctx.NewPrincipal?.Identity as System.Security.Claims.ClaimsIdentity)?.AddClaim(new System.Security.Claims.Claim(passed.Type, passed.Value));
                }

                return Task.CompletedTask;
            };
        });

        var auth = services.AddAuthentication(o =>
            {
                o.DefaultScheme = SmartScheme;
                o.DefaultChallengeScheme = SmartScheme;
            })
            .AddPolicyScheme(SmartScheme, null, o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiTokenService.Scheme
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiTokenHandler>(ApiTokenService.Scheme, null)
            .AddCookie(IdentityConstants.ApplicationScheme, o =>
            {
                o.LoginPath = "/account/sign-in";
                o.Cookie.Name = "sojourn.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = TimeSpan.FromMinutes(configuration.GetValue("Sojourn:Access:PageSessionMinutes", 480));
                o.SlidingExpiration = false;
                // The API answers 401/403; only pages redirect to the sign-in form.
                o.Events.OnRedirectToLogin = ctx => ApiOr(ctx, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = ctx => ApiOr(ctx, StatusCodes.Status403Forbidden);
                // A locked account's cookie sessions end at the next security-stamp check.
                o.Events.OnValidatePrincipal = SecurityStampValidator.ValidatePrincipalAsync;
            })
            .AddCookie(IdentityConstants.ExternalScheme)
            // SignInManager.SignOutAsync (run when a stale cookie fails its security-stamp check, e.g. after a
            // lock or unlock) signs these out too: without them the request ends in a 500, not a clean sign-out.
            .AddCookie(IdentityConstants.TwoFactorRememberMeScheme)
            .AddCookie(IdentityConstants.TwoFactorUserIdScheme);

        // A province's identity provider: enabled only when Sojourn:Oidc:Authority is configured.
        var oidc = configuration.GetSection("Sojourn:Oidc");
        if (!string.IsNullOrWhiteSpace(oidc["Authority"]))
        {
            auth.AddOpenIdConnect(OidcScheme, o =>
            {
                o.Authority = oidc["Authority"];
                o.ClientId = oidc["ClientId"];
                o.ClientSecret = oidc["ClientSecret"];
                o.ResponseType = "code";
                o.SignInScheme = IdentityConstants.ApplicationScheme;
                // Only a test or an isolated network may use an http provider.
                o.RequireHttpsMetadata = oidc.GetValue("RequireHttpsMetadata", true);
                o.Events.OnRemoteFailure = ctx =>
                {
                    // An unlinked subject or a failed exchange: back to the form, not an error page.
                    ctx.Response.Redirect("/account/sign-in?error=oidc");
                    ctx.HandleResponse();
                    return Task.CompletedTask;
                };
                o.Events.OnTokenValidated = async ctx =>
                {
                    // Only accounts an administrator linked to the provider's subject may sign in.
                    var users = ctx.HttpContext.RequestServices.GetRequiredService<UserManager<SojournUser>>();
                    var factory = ctx.HttpContext.RequestServices.GetRequiredService<IUserClaimsPrincipalFactory<SojournUser>>();
                    var subject = ctx.Principal?.FindFirst("sub")?.Value
                        ?? ctx.Principal?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
                    var user = subject is null ? null : await users.FindByLoginAsync(OidcScheme, subject);
                    // An account awaiting approval or activation, or locked, does not sign in this way either.
                    if (user is null || user.MustActivate || await users.IsLockedOutAsync(user))
                    {
                        ctx.Fail("No Sojourn account is linked to this identity.");
                        return;
                    }

                    ctx.Principal = await factory.CreateAsync(user);
                };
            });
        }

        services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder()
            .AddRequirements(new EndpointAccessRequirement()).Build());
        services.AddSingleton<IAuthorizationHandler, EndpointAccessHandler>();
        services.AddAntiforgery(o => o.Cookie.Name = "sojourn.af");

        var limits = configuration.GetSection("Sojourn:Access").Get<AccessOptions>() ?? new AccessOptions();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Every 429 says when to come back (RFC 9110 §10.2.3); a fixed window knows, else one minute.
            o.OnRejected = (ctx, _) =>
            {
                var seconds = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after.TotalSeconds : 60;
                ctx.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(seconds)).ToString(CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(SignInLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.SignInsPerMinute, Window = TimeSpan.FromMinutes(1) }));
            o.AddPolicy(IdLookupLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.User.AccountId(),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.IdLookupsPerMinute, Window = TimeSpan.FromMinutes(1) }));
        });
        return services;
    }

    /// <summary>Security headers, authentication, rate limits, authorization, anti-forgery — in that order.</summary>
    public static WebApplication UseAccess(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (http, next) =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
            // Personal data must not stay in browser or proxy caches: nothing is stored unless a response says so.
            http.Response.OnStarting(() =>
            {
                if (string.IsNullOrEmpty(http.Response.Headers.CacheControl))
                {
                    http.Response.Headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            });
            // The API docs page (Scalar) needs its inline script; everything else gets the strict policy. The pages'
            // <base href="/"> must stand (base-uri 'self'): without it a nested route (/policies/diff) resolves its
            // scripts and Blazor's routes under /policies/ and never goes interactive.
            headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/docs", StringComparison.Ordinal)
                ? "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
                : "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";
            await next(http);
        });
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static IEndpointRouteBuilder MapAccess(this IEndpointRouteBuilder app)
    {
        AccountApi.Map(app);
        AuditApi.Map(app);
        Statistics.StatisticsApi.Map(app);
        PurposeCatalogue.Map(app);
        return app;
    }

    /// <summary>The access-table key of an endpoint: its name, else "METHOD pattern".</summary>
    public static string? KeyOf(Endpoint? endpoint)
    {
        if (endpoint is null)
        {
            return null;
        }

        var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
        if (name is not null)
        {
            return name;
        }

        var method = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is [var first, ..] ? first : null;
        return (endpoint as RouteEndpoint)?.RoutePattern is RoutePattern p ? $"{method} {p.RawText}" : null;
    }

    public static bool IsApi(Endpoint? endpoint) =>
        (endpoint as RouteEndpoint)?.RoutePattern.RawText?.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) == true;

    private static Task ApiOr(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}

/// <summary>Limits and lifetimes (not legal values): <c>Sojourn:Access</c>.</summary>
internal sealed class AccessOptions
{
    public int SignInsPerMinute { get; set; } = 10;

    /// <summary>Failed sign-ins per (user name, source) before that pair must wait.</summary>
    public int SignInFailuresBeforeBackOff { get; set; } = 5;

    /// <summary>The first wait; it doubles with every further failure, up to <see cref="SignInBackOffMaxSeconds"/>.</summary>
    public int SignInBackOffSeconds { get; set; } = 30;

    public int SignInBackOffMaxSeconds { get; set; } = 900;
    public int IdLookupsPerMinute { get; set; } = 30;
    public int SessionTokenHours { get; set; } = 8;

    /// <summary>How long a browser session (the sign-in cookie, and the pages' circuits) lasts after sign-in.</summary>
    public int PageSessionMinutes { get; set; } = 480;

    /// <summary>Seconds a token look-up is cached in this process (0 = off); revocation here evicts at once.</summary>
    public int TokenCacheSeconds { get; set; } = 30;

    /// <summary>Statistics cells below this count are suppressed (small counts could name a person).</summary>
    public int MinCellSize { get; set; } = 5;
}

/// <summary>Every endpoint must be in the access table; API endpoints that are not are refused (fail closed).</summary>
internal sealed class EndpointAccessRequirement : IAuthorizationRequirement;

internal sealed class EndpointAccessHandler(AccessPolicy policy) : AuthorizationHandler<EndpointAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, EndpointAccessRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = context.Resource switch
        {
            HttpContext http => http.GetEndpoint(),
            Endpoint e => e,
            _ => null,
        };
        var key = AccessModule.KeyOf(endpoint);
        var roles = key is null ? null : policy.RolesFor(key);
        if (roles is null)
        {
            if (!AccessModule.IsApi(endpoint))
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }

        var authenticated = context.User.Identity?.IsAuthenticated == true;
        // A read-only token may only read: GET and HEAD (ApiTokenScopes).
        if (authenticated && context.User.FindFirst(ApiTokenService.ScopeClaim)?.Value == ApiTokenScopes.Read
            && context.Resource is HttpContext { Request.Method: var method } && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            return Task.CompletedTask;
        }

        if (roles.Contains(AccessPolicy.Anonymous)
            || (authenticated && roles.Contains(AccessPolicy.Authenticated))
            || (authenticated && context.User.Role() is { } role && roles.Contains(role)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

internal static class Labels
{
    /// <summary>zh-CN names of roles, for the migrant's page.</summary>
    public static string Role(string role) => role switch
    {
        Roles.Migrant => "本人",
        Roles.Reporter => "报告单位",
        Roles.Collector => "社区协管员",
        Roles.Officer => "派出所民警",
        Roles.StationChief => "派出所所长",
        Roles.Health => "卫生健康部门",
        Roles.HumanResources => "人力资源社会保障部门",
        Roles.Education => "教育部门",
        Roles.CivilAffairs => "民政部门",
        Roles.Housing => "住房城乡建设部门",
        Roles.Justice => "司法行政部门",
        Roles.Analyst => "统计分析人员",
        Roles.Administrator => "系统管理员",
        _ => role,
    };

    public static string Action(string action) => action switch
    {
        "read" => "查看",
        "write" => "录入或修改",
        "search" => "按身份号码查找",
        "list" => "列表查看",
        _ => action,
    };

    public static string Time(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Hosting.ChinaClock.DefaultZone)
            .ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
