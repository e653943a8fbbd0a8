using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Sojourn.Data.Access;
using Sojourn.Data.Audit;
using Sojourn.Data.Idempotency;
using Sojourn.Data.Permits;
using Sojourn.Data.Registrations;
using Sojourn.Data.Security;
using Sojourn.Data.Validation;
using Sojourn.Domain;

namespace Sojourn.Data;

/// <summary>
/// The one model of Sojourn's database. Each provider has its own subclass so that it keeps its own
/// migrations (Migrations/Sqlite, Migrations/Postgres); see docs/adr/0001-two-database-providers.md.
/// Every query of the registration tables is filtered by the current actor's reach (global query
/// filters, docs/adr/0003-access-and-audit.md): an endpoint that forgets a check still cannot leak.
/// </summary>
public abstract partial class SojournDbContext(DbContextOptions options) : DbContext(options)
{
    // Bound per lease (DbContext pooling, DataServiceCollectionExtensions): the scope's actor and the identity protector.
    private ICurrentActor? _actor;
    private IdentityProtector? _protector;

    /// <summary>
    /// The name of RegistrationVersions' query filter (visible when its registration is). Only a query whose every
    /// version is joined to a registration under the registration's own filter may ignore it.
    /// </summary>
    public const string VersionThroughRegistration = "versionThroughRegistration";

    /// <summary>Shadow column on Registrations: the account that declared it (a reporter sees their own reports).</summary>
    public const string DeclaredByProperty = "DeclaredBy";

    // Read by the query filters; EF Core evaluates these per query, on this context instance.
    private ActorScope Scope => _actor?.Scope ?? ActorScope.System;
    private bool FilterAll => Scope.Reach == ActorReach.System;
    private bool FilterJurisdiction => Scope.Reach == ActorReach.Jurisdiction;
    private bool FilterPerson => Scope.Reach == ActorReach.Person;
    private bool FilterReporter => Scope.Reach == ActorReach.Reporter;
    private List<string> FilterDivisions => [.. Scope.Divisions];
    private List<string> FilterStations => [.. Scope.Stations];
    private string FilterPersonHmac => Scope.PersonIdHmac ?? "-";
    private string FilterAccountId => Scope.AccountId ?? "-";

    public DbSet<SojournUser> Users => Set<SojournUser>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<AuditSignedHead> AuditSignedHeads => Set<AuditSignedHead>();
    public DbSet<AuditMerkleNode> AuditMerkleNodes => Set<AuditMerkleNode>();
    public DbSet<Registration> Registrations => Set<Registration>();
    public DbSet<RegistrationVersion> RegistrationVersions => Set<RegistrationVersion>();
    public DbSet<RegistrationPhoto> RegistrationPhotos => Set<RegistrationPhoto>();
    public DbSet<CertificateSequence> CertificateSequences => Set<CertificateSequence>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<Permit> Permits => Set<Permit>();
    public DbSet<PermitEvent> PermitEvents => Set<PermitEvent>();
    public DbSet<IssuerKeyRecord> IssuerKeys => Set<IssuerKeyRecord>();
    public DbSet<StatusListRecord> StatusLists => Set<StatusListRecord>();
    public DbSet<IssuedCredential> IssuedCredentials => Set<IssuedCredential>();
    public DbSet<CredentialCheck> CredentialChecks => Set<CredentialCheck>();
    public DbSet<PermitReminder> PermitReminders => Set<PermitReminder>();
    public DbSet<SmsOutboxMessage> SmsOutbox => Set<SmsOutboxMessage>();

    /// <summary>Partial-index predicate shared by both providers: identifiers are quoted the same way.</summary>
    public const string OpenStayFilter = "\"Status\" <> 'ended'";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // All instants are UTC; SQLite forgets the kind, PostgreSQL's timestamptz insists on it.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<string>().HaveMaxLength(ColumnLengths.Default);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<Registration>(e =>
        {
            e.ToTable("Registrations");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).ValueGeneratedNever();
            e.Property(r => r.Version).IsConcurrencyToken();
            e.Property(r => r.Status).HasMaxLength(ColumnLengths.Status);
            e.Property(r => r.PersonIdHmac).HasMaxLength(ColumnLengths.LookupHash);
            e.Property(r => r.PersonIdMasked).HasMaxLength(ColumnLengths.MaskedId);
            e.Property(r => r.PersonName).HasMaxLength(ColumnLengths.PersonName);
            e.Property(r => r.ResidenceDivisionCode).HasMaxLength(ColumnLengths.DivisionCode);
            e.Property(r => r.StationCode).HasMaxLength(ColumnLengths.StationCode);
            e.Property(r => r.StationName).HasMaxLength(ColumnLengths.StationName);
            e.Property(r => r.CertificateNumber).HasMaxLength(ColumnLengths.PermitNumber);
            e.Ignore(r => r.IsOpen);
            e.HasIndex(r => r.CertificateNumber).IsUnique();
            // One open stay per person per residence address, enforced by the database itself.
            e.HasIndex(r => new { r.PersonIdHmac, r.ResidenceAddressKey })
                .IsUnique()
                .HasFilter(OpenStayFilter)
                .HasDatabaseName(DbErrors.OpenStayIndex);
            e.HasIndex(r => new { r.ResidenceDivisionCode, r.Status, r.DeclaredAt })
                .HasDatabaseName("IX_Registrations_Division");
            e.HasIndex(r => new { r.StationCode, r.Status, r.DeclaredAt })
                .HasDatabaseName("IX_Registrations_Station");
            e.HasIndex(r => r.PersonIdHmac);
            e.Property<string>(DeclaredByProperty).HasMaxLength(ColumnLengths.Actor);
            e.HasQueryFilter(r => FilterAll
                || (FilterJurisdiction && (FilterDivisions.Any(d => EF.Functions.Like(r.ResidenceDivisionCode, d + "%"))
                    || (r.StationCode != null && FilterStations.Contains(r.StationCode))))
                || (FilterPerson && r.PersonIdHmac == FilterPersonHmac)
                || (FilterReporter && EF.Property<string>(r, DeclaredByProperty) == FilterAccountId));
        });

        modelBuilder.Entity<RegistrationVersion>(e =>
        {
            e.ToTable("RegistrationVersions");
            e.HasKey(v => v.Id);
            e.Property(v => v.Id).ValueGeneratedNever();
            e.Property(v => v.Kind).HasMaxLength(16);
            e.Property(v => v.Status).HasMaxLength(ColumnLengths.Status);
            e.Property(v => v.ResidenceDivisionCode).HasMaxLength(ColumnLengths.DivisionCode);
            e.HasOne<Registration>().WithMany().HasForeignKey(v => v.RegistrationId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(v => new { v.RegistrationId, v.Number }).IsUnique();
            e.HasIndex(v => v.ResidenceDivisionCode);
            // A version is visible exactly when its registration is (the registration's filter applies inside). Named,
            // so a query that joins the version to its already-filtered registration can skip the repeated check.
            e.HasQueryFilter(VersionThroughRegistration, v => Registrations.Any(r => r.Id == v.RegistrationId));
            e.OwnsOne(v => v.Record, r =>
            {
                r.Property(x => x.IdNumberCipher).HasMaxLength(ColumnLengths.Cipher);
                r.Property(x => x.IdNumberHmac).HasMaxLength(ColumnLengths.LookupHash);
                r.Property(x => x.SocialInsurance).HasMaxLength(100);
                r.OwnsMany(x => x.Children, c =>
                {
                    c.ToTable("AccompanyingChildren");
                    c.WithOwner().HasForeignKey("VersionId");
                    c.Property<int>("Id");
                    c.HasKey("Id");
                    c.Property(x => x.IdNumberCipher).HasMaxLength(ColumnLengths.Cipher);
                    c.Property(x => x.IdNumberHmac).HasMaxLength(ColumnLengths.LookupHash);
                });
            });
        });

        modelBuilder.Entity<RegistrationPhoto>(e =>
        {
            e.ToTable("RegistrationPhotos");
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).ValueGeneratedNever();
            e.Property(p => p.ResidenceDivisionCode).HasMaxLength(ColumnLengths.DivisionCode);
            e.HasOne<Registration>().WithMany().HasForeignKey(p => p.RegistrationId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(p => p.RegistrationId);
            e.HasIndex(p => p.ResidenceDivisionCode);
            e.HasQueryFilter(p => Registrations.Any(r => r.Id == p.RegistrationId));
        });

        modelBuilder.Entity<CertificateSequence>(e =>
        {
            e.ToTable("CertificateSequences");
            e.HasKey(s => new { s.DivisionCode, s.Year });
            e.Property(s => s.DivisionCode).HasMaxLength(ColumnLengths.DivisionCode);
        });

        modelBuilder.Entity<IdempotencyRecord>(e =>
        {
            e.ToTable("IdempotencyRecords");
            e.HasKey(r => r.Key);
            e.Property(r => r.Key).HasMaxLength(200);
            e.Property(r => r.RequestHash).HasMaxLength(ColumnLengths.Digest);
            e.HasIndex(r => r.CreatedAt);
        });

        ConfigureAccess(modelBuilder);
        ConfigurePermits(modelBuilder);
        ConfigureReporting(modelBuilder);
        ConfigureCompliance(modelBuilder);
        ConfigureTipOffs(modelBuilder);
        ConfigureImports(modelBuilder);
        ConfigureSettle(modelBuilder);
        ConfigureHires(modelBuilder);
    }

    /// <summary>
    /// Binds a context to the scope that leased it: whose reach the query filters and write checks apply (none: the
    /// system's) and the protector that re-encrypts identity numbers on write. A pooled context is bound on every lease.
    /// </summary>
    internal void Bind(ICurrentActor? actor, IdentityProtector? protector)
    {
        _actor = actor;
        _protector = protector;
    }

    // A pooled context goes back to the pool on dispose: it must not keep the last scope's actor.
    public override void Dispose()
    {
        Bind(null, null);
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    public override async ValueTask DisposeAsync()
    {
        Bind(null, null);
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Checks every pending write (jurisdiction, stored text) and re-encrypts identity numbers of new versions under
    /// the active key (key rotation: re-encrypt on write). Changes are detected once for the whole save: each
    /// <c>ChangeTracker.Entries()</c> would otherwise detect them again, and so would the base save.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        var autoDetect = ChangeTracker.AutoDetectChangesEnabled;
        if (autoDetect)
        {
            ChangeTracker.DetectChanges();
            ChangeTracker.AutoDetectChangesEnabled = false;
        }

        try
        {
            var scope = Scope;
            foreach (var entry in ChangeTracker.Entries())
            {
                if (entry.State is not (EntityState.Added or EntityState.Modified))
                {
                    continue;
                }

                if (scope.Reach == ActorReach.Jurisdiction)
                {
                    EnsureWithinJurisdiction(scope, entry.Entity);
                }

                EnsureStoredTextFits(entry);
                if (_protector is not null && entry.State == EntityState.Added)
                {
                    Reprotect(entry.Entity, _protector);
                }
            }

            // Reprotect changed only added rows, whose values are read as they are when the INSERT is built.
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    private static void Reprotect(object entity, IdentityProtector protector)
    {
        switch (entity)
        {
            case RegistrationVersion version:
                var record = version.Record;
                record.IdNumberCipher = protector.Reprotect(record.IdNumberCipher);
                foreach (var child in record.Children.Where(c => c.IdNumberCipher is not null))
                {
                    child.IdNumberCipher = protector.Reprotect(child.IdNumberCipher!);
                }

                break;
            case Permit permit:
                permit.Reprotect(protector.Reprotect);
                break;
        }
    }

    /// <summary>
    /// Writes obey the same jurisdiction as reads (the query filters above): an official cannot create or move a
    /// registration or permit outside their divisions and stations. Checked here, before anything is sent, so
    /// that no endpoint can forget it and nothing is half-saved.
    /// </summary>
    private static void EnsureWithinJurisdiction(ActorScope scope, object entity)
    {
        var (division, station) = entity switch
        {
            Registration r => (r.ResidenceDivisionCode, r.StationCode),
            RegistrationVersion v => (v.ResidenceDivisionCode, v.StationCode),
            Permit p => (p.ResidenceDivisionCode, p.StationCode),
            HolderFact f => (f.ResidenceDivisionCode, f.StationCode),
            _ => (null, null),
        };
        if (division is not null && !scope.CoversResidence(division, station))
        {
            throw new OutsideJurisdictionException(division);
        }
    }

    /// <summary>
    /// The backstop behind the boundary checks: every string written obeys <see cref="StoredText"/> and its
    /// column's length (read from this model, the same place the columns take it). A value that slipped past
    /// the boundary becomes a 400 naming the field instead of a provider error (NUL on PostgreSQL) or a
    /// silently truncated or refused row.
    /// </summary>
    private static void EnsureStoredTextFits(EntityEntry entry)
    {
        foreach (var property in entry.Properties)
        {
            if (property.CurrentValue is not string value
                || (entry.State == EntityState.Modified && !property.IsModified))
            {
                continue;
            }

            var (field, max) = TextLimits.GetValue(property.Metadata, TextLimit.Of);
            if (!StoredText.IsSafe(value))
            {
                throw new InvalidFieldException(field, $"{field}: characters that are not allowed");
            }

            if (max is { } limit && value.Length > limit)
            {
                throw new InvalidFieldException(field, $"{field}: longer than {limit} characters");
            }
        }
    }

    /// <summary>Each string property's field name and length limit, read from the model once per property.</summary>
    private static readonly ConditionalWeakTable<IProperty, TextLimit> TextLimits = new();

    private sealed record TextLimit(string Field, int? Max)
    {
        public static TextLimit Of(IProperty property) => new(
            char.ToLowerInvariant(property.Name[0]) + property.Name[1..],
            // Columns mapped as "text" are unbounded whatever the convention's length says.
            property.GetColumnType() == "text" ? null : property.GetMaxLength());
    }

    private static void ConfigureAccess(ModelBuilder modelBuilder)
    {
        // The ASP.NET Core Identity user store tables (as IdentityUserContext maps them), without roles:
        // an account has one role, a column of its own.
        modelBuilder.Entity<SojournUser>(b =>
        {
            b.ToTable("AspNetUsers");
            b.HasKey(u => u.Id);
            b.HasIndex(u => u.NormalizedUserName).HasDatabaseName("UserNameIndex").IsUnique();
            b.HasIndex(u => u.NormalizedEmail).HasDatabaseName("EmailIndex");
            b.Property(u => u.ConcurrencyStamp).IsConcurrencyToken();
            b.Property(u => u.UserName).HasMaxLength(256);
            b.Property(u => u.NormalizedUserName).HasMaxLength(256);
            b.Property(u => u.Email).HasMaxLength(256);
            b.Property(u => u.NormalizedEmail).HasMaxLength(256);
            b.Property(u => u.Role).HasMaxLength(ColumnLengths.Role);
            b.Property(u => u.PersonIdHmac).HasMaxLength(ColumnLengths.LookupHash);
            b.Property(u => u.PendingChange).HasMaxLength(16);
            b.Property(u => u.PendingRole).HasMaxLength(ColumnLengths.Role);
            b.Property(u => u.ChangeRequestedBy).HasMaxLength(ColumnLengths.Actor);
            b.HasIndex(u => u.PersonIdHmac);
            b.HasMany<IdentityUserClaim<string>>().WithOne().HasForeignKey(c => c.UserId).IsRequired();
            b.HasMany<IdentityUserLogin<string>>().WithOne().HasForeignKey(l => l.UserId).IsRequired();
            b.HasMany<IdentityUserToken<string>>().WithOne().HasForeignKey(t => t.UserId).IsRequired();
        });
        modelBuilder.Entity<IdentityUserClaim<string>>(b =>
        {
            b.ToTable("AspNetUserClaims");
            b.HasKey(c => c.Id);
        });
        modelBuilder.Entity<IdentityUserLogin<string>>(b =>
        {
            b.ToTable("AspNetUserLogins");
            b.HasKey(l => new { l.LoginProvider, l.ProviderKey });
        });
        modelBuilder.Entity<IdentityUserToken<string>>(b =>
        {
            b.ToTable("AspNetUserTokens");
            b.HasKey(t => new { t.UserId, t.LoginProvider, t.Name });
        });

        modelBuilder.Entity<ApiToken>(b =>
        {
            b.ToTable("ApiTokens");
            b.HasKey(t => t.Id);
            b.Property(t => t.Id).ValueGeneratedNever();
            b.Property(t => t.TokenHash).HasMaxLength(ColumnLengths.Digest);
            b.Property(t => t.Name).HasMaxLength(ColumnLengths.TokenName);
            b.Property(t => t.Scope).HasMaxLength(16).HasDefaultValue(ApiTokenScopes.ReadWrite);
            b.Property(t => t.IssuedBy).HasMaxLength(ColumnLengths.Actor);
            b.HasIndex(t => t.TokenHash).IsUnique();
            b.HasOne<SojournUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<AuditEntry>(b =>
        {
            b.ToTable(AuditTable);
            b.HasKey(a => a.Id);
            b.Property(a => a.Id).ValueGeneratedOnAdd();
            b.HasIndex(a => a.Seq).IsUnique();
            // The sequencer's work list: unsealed entries in insertion order.
            b.HasIndex(a => a.Id).HasFilter("\"Seq\" IS NULL").HasDatabaseName("IX_AuditEntries_Unsealed");
            b.Property(a => a.AccountId).HasMaxLength(ColumnLengths.Actor);
            b.Property(a => a.ActorRole).HasMaxLength(ColumnLengths.Role);
            b.Property(a => a.Office).HasMaxLength(ColumnLengths.OfficeName);
            b.Property(a => a.Action).HasMaxLength(16);
            b.Property(a => a.Operation).HasMaxLength(64);
            b.Property(a => a.PersonIdHmac).HasMaxLength(ColumnLengths.LookupHash);
            b.Property(a => a.ResidenceDivisionCode).HasMaxLength(ColumnLengths.DivisionCode);
            b.Property(a => a.Purpose).HasMaxLength(ColumnLengths.AuditPurpose);
            b.Property(a => a.Ip).HasMaxLength(ColumnLengths.Ip);
            b.Property(a => a.PrevHash).HasMaxLength(ColumnLengths.Digest);
            b.Property(a => a.Hash).HasMaxLength(ColumnLengths.Digest);
            b.HasIndex(a => new { a.PersonIdHmac, a.At });
            b.HasIndex(a => new { a.AccountId, a.At });
            b.HasIndex(a => a.At);
        });

        modelBuilder.Entity<AuditSignedHead>(b =>
        {
            b.ToTable(AuditSignedHeadsTable);
            b.HasKey(h => h.Seq);
            b.Property(h => h.Seq).ValueGeneratedNever();
            b.Property(h => h.Hash).HasMaxLength(ColumnLengths.Digest);
            b.Property(h => h.MerkleRoot).HasMaxLength(ColumnLengths.Digest);
            b.Property(h => h.KeyId).HasMaxLength(16);
            b.Property(h => h.Signature).HasMaxLength(128);
        });

        modelBuilder.Entity<AuditMerkleNode>(b =>
        {
            b.ToTable(AuditMerkleNodesTable);
            b.HasKey(n => new { n.Level, n.Index });
            b.Property(n => n.Hash).HasMaxLength(ColumnLengths.Digest);
        });
    }

    /// <summary>Stored Merkle tree nodes of the audit log (append-only, triggers in the AuditMerkleNodes migrations).</summary>
    public const string AuditMerkleNodesTable = "AuditMerkleNodes";

    /// <summary>Signed chain heads (append-only, triggers in the AuditSequencer migrations).</summary>
    public const string AuditSignedHeadsTable = "AuditSignedHeads";

    /// <summary>The append-only audit table (triggers in the AccessAndAudit migrations refuse UPDATE and DELETE).</summary>
    public const string AuditTable = "AuditEntries";

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
