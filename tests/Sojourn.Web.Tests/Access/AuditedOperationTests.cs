using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Application.Actors;
using Sojourn.Application.Audit;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Idempotency;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Access;

/// <summary>
/// <see cref="AuditedOperation"/>, the one runner of audited work outside a request (the web host's jobs, the CLI's
/// sweeps, the account decisions), against the real databases: a use case's rows and the entries of what it declared
/// commit together, or, when it fails or throws after writing, neither is kept; the log verifies afterwards.
/// </summary>
public abstract class AuditedOperationTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    private static readonly ActorIdentity Actor = new("system:test", "test", "system", "", ActorScope.System);

    [SkippableFact]
    public async Task Succeeds_RowsAndEntriesCommitTogether_LogVerifies()
    {
        var (operation, key, person) = Names();

        var outcome = await RunAsync(operation, key, person, services => Task.FromResult<Outcome<int>>(42));

        Assert.True(outcome.TryGetValue(out var value, out _));
        Assert.Equal(42, value);
        var (rows, entries) = await StoredAsync(operation, key);
        Assert.Equal(1, rows);
        var entry = Assert.Single(entries);
        Assert.Equal(("system:test", "system", "write", operation, "status", person, "140202"),
            (entry.AccountId, entry.ActorRole, entry.Action, entry.Operation, entry.Fields, entry.PersonIdHmac, entry.ResidenceDivisionCode));
        var verification = await Factory.VerifyAuditAsync();
        Assert.True(verification.Intact, verification.Problem);
        Assert.NotNull((await StoredAsync(operation, key)).Entries[0].Seq);
    }

    [SkippableFact]
    public async Task FailsAfterWriting_NeitherRowsNorEntryKept()
    {
        var (operation, key, person) = Names();
        var entriesBefore = await CountEntriesAsync();

        var outcome = await RunAsync(operation, key, person, async services =>
        {
            // Written and visible inside the transaction before the use case decides to fail.
            Assert.True(await services.GetRequiredService<SojournDbContext>().IdempotencyRecords.AnyAsync(r => r.Key == key));
            return new Failure(ErrorCode.AccountNotFound);
        });

        Assert.False(outcome.TryGetValue(out _, out var failure));
        Assert.Equal(ErrorCode.AccountNotFound, failure.Code);
        Assert.Equal((0, 0), Counts(await StoredAsync(operation, key)));
        Assert.Equal(entriesBefore, await CountEntriesAsync());
        var verification = await Factory.VerifyAuditAsync();
        Assert.True(verification.Intact, verification.Problem);
    }

    [SkippableFact]
    public async Task ThrowsAfterWriting_NeitherRowsNorEntryKept()
    {
        var (operation, key, person) = Names();

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RunAsync(operation, key, person, _ => throw new InvalidOperationException("the use case broke after saving")));

        Assert.Equal((0, 0), Counts(await StoredAsync(operation, key)));
    }

    [SkippableFact]
    public async Task RunsAsTheGivenActor_InTheUseCasesScope()
    {
        var (operation, _, _) = Names();
        ActorIdentity? seen = null;

        var outcome = await AuditedOperation.RunAsync(Factory.Services.GetRequiredService<IServiceScopeFactory>(), Actor, operation,
            (services, actor, ct) =>
            {
                seen = services.GetRequiredService<CurrentActor>().Identity;
                return Task.FromResult<Outcome<bool>>(ReferenceEquals(actor, services.GetRequiredService<CurrentActor>()));
            }, CancellationToken.None);

        Assert.True(outcome.TryGetValue(out var same, out _) && same);
        Assert.Same(Actor, seen);
        // Nothing declared, nothing recorded.
        Assert.Empty((await StoredAsync(operation, "-")).Entries);
    }

    /// <summary>A use case that saves a row and declares a write of <paramref name="person"/>, then does <paramref name="then"/>.</summary>
    private Task<Outcome<int>> RunAsync(string operation, string key, string person, Func<IServiceProvider, Task<Outcome<int>>> then) =>
        AuditedOperation.RunAsync(Factory.Services.GetRequiredService<IServiceScopeFactory>(), Actor, operation, async (services, actor, ct) =>
        {
            var db = services.GetRequiredService<SojournDbContext>();
            db.IdempotencyRecords.Add(new IdempotencyRecord { Key = key, RequestHash = operation, StatusCode = 200, CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync(ct);
            services.GetRequiredService<PersonalDataLedger>().Wrote(new PersonRef(person, "140202"), ["status"]);
            return await then(services);
        }, CancellationToken.None);

    private static (string Operation, string Key, string Person) Names()
    {
        var id = Guid.NewGuid().ToString("N");
        return ("TestAudited" + id[..8], "test|audited|" + id, "test-person-" + id);
    }

    private static (int, int) Counts((int Rows, List<Data.Audit.AuditEntry> Entries) stored) => (stored.Rows, stored.Entries.Count);

    private async Task<(int Rows, List<Data.Audit.AuditEntry> Entries)> StoredAsync(string operation, string key)
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        return (await db.IdempotencyRecords.CountAsync(r => r.Key == key),
            await db.AuditEntries.AsNoTracking().Where(a => a.Operation == operation).ToListAsync());
    }

    private async Task<int> CountEntriesAsync()
    {
        using var scope = Factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<SojournDbContext>().AuditEntries.CountAsync();
    }
}

public sealed class SqliteAuditedOperationTests(SqliteAppFixture fixture)
    : AuditedOperationTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresAuditedOperationTests(PostgresAppFixture fixture)
    : AuditedOperationTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
