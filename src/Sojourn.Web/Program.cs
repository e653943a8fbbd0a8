using Sojourn.Web.Access;
using Sojourn.Web.Compliance;
using Sojourn.Web.Components.Infrastructure;
using Sojourn.Web.Hosting;
using Sojourn.Web.Permits;
using Sojourn.Web.Registration;
using Sojourn.Web.Reporting;

var builder = WebApplication.CreateBuilder(args);
builder.AddSojournHost();
builder.Services.AddAccess(builder.Configuration);
builder.Services.AddRegistration(builder.Configuration);
builder.Services.AddPermits();
builder.Services.AddReporting();
builder.Services.AddHouses();
builder.Services.AddCompliance();
builder.Services.AddPolicy(builder.Configuration);
builder.Services.AddWebApplication();

var app = builder.Build();
app.UseSojournHost();
app.MapAccess();
app.MapRegistration();
app.MapPolicy();
app.MapPermits();
app.MapReporting();
app.MapHouses();
app.MapCompliance();
app.MapWebApplication();

await app.PrepareDatabaseAsync();
await app.RunAsync();

/// <summary>Entry point, public so integration tests can host it.</summary>
public partial class Program;
