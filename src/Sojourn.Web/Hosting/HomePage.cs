namespace Sojourn.Web.Hosting;

/// <summary>A small zh-CN landing page.</summary>
public static class HomePage
{
    private const string Html = """
        <!doctype html>
        <html lang="zh-CN">
        <head><meta charset="utf-8"><title>流动人口服务管理平台</title>
        <style>body{font-family:"Noto Sans CJK SC",sans-serif;max-width:40rem;margin:3rem auto;line-height:1.7}</style>
        </head>
        <body>
        <h1>流动人口服务管理平台 Sojourn</h1>
        <p>居住登记的申报、确认、更正、变更与注销均通过 HTTP 接口办理。</p>
        <ul>
          <li><a href="/docs">接口文档（交互式）</a></li>
          <li><a href="/openapi/v1.json">OpenAPI 描述文件</a></li>
          <li><a href="/api/v1/registrations">居住登记列表（JSON）</a></li>
        </ul>
        </body>
        </html>
        """;

    public static IEndpointRouteBuilder MapHomePage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Content(Html, "text/html; charset=utf-8")).ExcludeFromDescription();
        return app;
    }
}
