using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Application.Events;
using Sojourn.Data;
using Sojourn.Data.Permits;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Permits;

/// <summary>
/// The side effects of a permit step run from its domain events when the unit of work saves, with nothing called by
/// hand: every transition that ends a permit revokes its credential, a suspension suspends it, and each step leaves
/// one history row numbered as the permit's version.
/// </summary>
public abstract class PermitEventHandlerTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    [SkippableTheory]
    [InlineData("cancel", PermitStatus.Cancelled, "revoked")]
    [InlineData("void", PermitStatus.Void, "revoked")]
    [InlineData("expire", PermitStatus.Expired, "revoked")]
    [InlineData("supersede", PermitStatus.Superseded, "revoked")]
    [InlineData("suspend", PermitStatus.Suspended, "suspended")]
    public async Task Transition_SavedThroughTheUnitOfWork_CredentialFollows(string transition, string statusAfter, string credentialAfter)
    {
        var issuedOn = new DateOnly(2026, 3, 2);
        var made = await Factory.ValidPermitAsync(PermitPlace.Shanxi, issuedOn);
        Assert.Equal("active", await CredentialStatusAsync(made.Id));

        using (var scope = Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
            var permit = await db.Permits.FirstAsync(p => p.Id == made.Id);
            var step = new PermitStep(DateTime.UtcNow, issuedOn.AddDays(10), "cn-2016#10");
            switch (transition)
            {
                case "cancel":
                    permit.Cancel(null, step);
                    break;
                case "void":
                    permit.MissEndorsement(voids: true, step);
                    break;
                case "suspend":
                    permit.MissEndorsement(voids: false, step);
                    break;
                case "expire":
                    permit.Expire(step);
                    break;
                default:
                    permit.SupersedeBy(permit, "replace", step);
                    break;
            }

            Assert.Null(await scope.ServiceProvider.GetRequiredService<UnitOfWork>().SaveAsync(null, CancellationToken.None));
        }

        using var check = Factory.Services.CreateScope();
        var read = check.ServiceProvider.GetRequiredService<SojournDbContext>();
        var saved = await read.Permits.IgnoreQueryFilters().AsNoTracking().FirstAsync(p => p.Id == made.Id);
        Assert.Equal(statusAfter, saved.Status);
        Assert.Equal(credentialAfter, await CredentialStatusAsync(made.Id));
        var history = await read.PermitEvents.IgnoreQueryFilters().AsNoTracking().Where(e => e.PermitId == made.Id).ToListAsync();
        var row = Assert.Single(history);
        Assert.Equal(saved.Version, row.Number);
        Assert.Equal(statusAfter, row.StatusAfter);
    }

    [SkippableFact]
    public void Transition_FromAWrongState_IsRefusedByTheAggregate()
    {
        var permit = PermitSeed.InMemory(PermitStatus.Cancelled, "140105", "shanxi-2017");
        var step = new PermitStep(DateTime.UtcNow, new DateOnly(2026, 3, 2), null);
        Assert.Throws<Sojourn.Data.Domain.DomainRuleException>(() => permit.Expire(step));
        Assert.Throws<Sojourn.Data.Domain.DomainRuleException>(() => permit.Endorse(null, null, step));
        Assert.Empty(permit.DomainEvents);
    }

    private async Task<string?> CredentialStatusAsync(Guid permitId)
    {
        using var scope = Factory.Services.CreateScope();
        var statuses = await scope.ServiceProvider.GetRequiredService<SojournDbContext>().IssuedCredentials.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.PermitId == permitId).Select(c => c.Status).ToListAsync();
        // One credential at most is active; once the permit ended, none.
        Assert.True(statuses.Count(s => s == "active") <= 1);
        return statuses.Contains("active") ? "active" : statuses.Contains("suspended") ? "suspended" : statuses.Contains("revoked") ? "revoked" : null;
    }
}

public sealed class SqlitePermitEventHandlerTests(SqliteAppFixture fixture)
    : PermitEventHandlerTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresPermitEventHandlerTests(PostgresAppFixture fixture)
    : PermitEventHandlerTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
