using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Application.Actors;
using Sojourn.Application.Events;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Registrations;
using Sojourn.Data.Security;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Access;

/// <summary>
/// The scope's <see cref="SojournDbContext"/> comes from a pool (EF Core context pooling). Tried as a leak would happen:
/// the instance a system scope used goes back to the pool and is handed to the next scope, whose query filters must see
/// that scope's actor only, never the reach of the scope before.
/// </summary>
public abstract class PooledContextTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    [SkippableFact]
    public async Task NextLease_FiltersByItsOwnActor_NotByTheLastScopesReach()
    {
        var scopes = Factory.Services.GetRequiredService<IServiceScopeFactory>();
        // A migrant whose number matches nobody: sees nothing, whichever instance the pool hands over.
        var stranger = new ActorIdentity("pool-test", "pool-test", "migrant", "", new ActorScope(ActorReach.Person, [], [], "no-such-person", null));
        var id = await SeedAsync();
        var usedBySystem = new HashSet<SojournDbContext>(ReferenceEqualityComparer.Instance);
        var reused = 0;
        // The pool hands instances out first in, first out, and the host's background services lease from it too, so
        // a round usually gets another instance than the round before: go on until system-used instances came back.
        for (var round = 0; round < 500 && reused < 3; round++)
        {
            await using (var system = scopes.CreateAsyncScope())
            {
                system.ServiceProvider.GetRequiredService<CurrentActor>().Set(ActorIdentity.System("system:test"));
                var db = system.ServiceProvider.GetRequiredService<SojournDbContext>();
                usedBySystem.Add(db);
                Assert.True(await db.Registrations.AnyAsync(r => r.Id == id), "the system sees the stay");
            }

            await using (var migrant = scopes.CreateAsyncScope())
            {
                migrant.ServiceProvider.GetRequiredService<CurrentActor>().Set(stranger);
                var db = migrant.ServiceProvider.GetRequiredService<SojournDbContext>();
                reused += usedBySystem.Contains(db) ? 1 : 0;
                Assert.False(await db.Registrations.AnyAsync(r => r.Id == id));
                Assert.False(await db.RegistrationVersions.AnyAsync(v => v.RegistrationId == id));
                Assert.Equal(0, await db.Registrations.CountAsync());
            }
        }

        Assert.True(reused == 3, "the pool handed system scopes' instances to the next scope three times");
    }

    /// <summary>One stay, declared through the unit of work as the system.</summary>
    private async Task<Guid> SeedAsync()
    {
        var id = Guid.CreateVersion7();
        using var scope = Factory.Services.CreateScope();
        var protector = scope.ServiceProvider.GetRequiredService<IdentityProtector>();
        var (registration, _) = Data.Registrations.Registration.Declare(
            id, TestData.Record(protector.Encrypt("110101199001010011"), "pool-" + Guid.NewGuid().ToString("N")),
            new Declarant("reporter", "某旅馆", "hotel"), "test", DateTime.UtcNow);
        scope.ServiceProvider.GetRequiredService<SojournDbContext>().Registrations.Add(registration);
        Assert.Null(await scope.ServiceProvider.GetRequiredService<UnitOfWork>().SaveAsync(null, CancellationToken.None));
        return id;
    }
}

public sealed class SqlitePooledContextTests(SqliteAppFixture fixture)
    : PooledContextTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresPooledContextTests(PostgresAppFixture fixture)
    : PooledContextTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
