using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data;
using Sojourn.Data.Audit;

namespace Sojourn.Web.Tests.Infrastructure;

/// <summary>What the audit tests do behind the app's back: raw SQL on its database, and verifying the chain.</summary>
public static class AuditTableAccess
{
    public static async Task ExecAsync(this SojournAppFactory factory, params string[] statements)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(statements);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SojournDbContext>();
        foreach (var sql in statements)
        {
            await db.Database.ExecuteSqlRawAsync(sql);
        }
    }

    /// <summary>Removes the append-only triggers, as someone with direct database access could.</summary>
    public static Task DropAuditTriggersAsync(this SojournAppFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.Kind == DatabaseKind.Sqlite
            ? factory.ExecAsync("DROP TRIGGER \"TR_AuditEntries_NoUpdate\"", "DROP TRIGGER \"TR_AuditEntries_NoDelete\"")
            : factory.ExecAsync("DROP TRIGGER \"TR_AuditEntries_NoUpdateDelete\" ON \"AuditEntries\"");
    }

    public static async Task<AuditVerification> VerifyAuditAsync(this SojournAppFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        using var scope = factory.Services.CreateScope();
        return await AuditChain.VerifyAsync(scope.ServiceProvider.GetRequiredService<SojournDbContext>(), CancellationToken.None);
    }
}
