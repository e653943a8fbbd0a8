using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Application.Events;
using Sojourn.Data;
using Sojourn.Data.Registrations;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Registration;

/// <summary>
/// The side effects of a registration step run from its domain events when the unit of work saves, with nothing added
/// by hand: each step's version row is appended once, numbered as the registration's version, and the registration
/// duty is stamped by the rules engine on declaration and evaluated again on confirmation.
/// </summary>
public abstract class RegistrationEventHandlerTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    [SkippableFact]
    public async Task Steps_SavedThroughTheUnitOfWork_AppendTheirVersions_AndStampTheDuty()
    {
        var id = Guid.CreateVersion7();
        var today = new DateOnly(2026, 12, 5);
        using (var scope = Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
            var protector = scope.ServiceProvider.GetRequiredService<Sojourn.Data.Security.IdentityProtector>();
            var (registration, _) = Data.Registrations.Registration.Declare(id, TestData.Record(protector.Encrypt("110101199001010011"), "handler-" + Guid.NewGuid().ToString("N")), new Declarant("reporter", "某旅馆", "hotel"), "test", DateTime.UtcNow);
            db.Registrations.Add(registration);
            Assert.Null(await scope.ServiceProvider.GetRequiredService<UnitOfWork>().SaveAsync(null, CancellationToken.None));
            Assert.Empty(registration.DomainEvents);
        }

        using (var scope = Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
            var registration = await db.Registrations.IgnoreQueryFilters().FirstAsync(r => r.Id == id);
            // Stamped by the duty handler at save; a reporter's report leaves the person's own duty pending.
            Assert.NotNull(registration.RegistrationEngine);
            Assert.Null(registration.RegisteredOn);
            var current = await db.RegistrationVersions.IgnoreQueryFilters().AsNoTracking().FirstAsync(v => v.RegistrationId == id);
            registration.Confirm(current.Record, "140105000000", "坞城派出所", "DJ140105-2026-" + Random.Shared.Next(900000, 999999),
                new Declarant("officer", "李四", "民警"), "test", DateTime.UtcNow, today);
            Assert.Null(await scope.ServiceProvider.GetRequiredService<UnitOfWork>().SaveAsync(null, CancellationToken.None));
        }

        using var check = Factory.Services.CreateScope();
        var read = check.ServiceProvider.GetRequiredService<SojournDbContext>();
        var saved = await read.Registrations.IgnoreQueryFilters().AsNoTracking().FirstAsync(r => r.Id == id);
        var versions = await read.RegistrationVersions.IgnoreQueryFilters().AsNoTracking()
            .Where(v => v.RegistrationId == id).OrderBy(v => v.Number).ToListAsync();
        Assert.Equal([1, 2], versions.Select(v => v.Number));
        Assert.Equal([VersionKind.Declaration, VersionKind.Confirmation], versions.Select(v => v.Kind));
        Assert.Equal(2, saved.Version);
        Assert.Equal(RegistrationStatus.Confirmed, saved.Status);
        // The confirmation completed the person's registration, and the duty was evaluated again with that day.
        Assert.Equal(today, saved.RegisteredOn);
        Assert.NotNull(saved.RegistrationEngine);
    }
}

public sealed class SqliteRegistrationEventHandlerTests(SqliteAppFixture fixture)
    : RegistrationEventHandlerTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresRegistrationEventHandlerTests(PostgresAppFixture fixture)
    : RegistrationEventHandlerTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
