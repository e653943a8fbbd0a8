using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Sojourn.Data.Idempotency;
using Sojourn.Data.Registrations;

namespace Sojourn.Data;

/// <summary>
/// The one model of Sojourn's database. Each provider has its own subclass so that it keeps its own
/// migrations (Migrations/Sqlite, Migrations/Postgres); see docs/adr/0001-two-database-providers.md.
/// </summary>
public abstract class SojournDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Registration> Registrations => Set<Registration>();
    public DbSet<RegistrationVersion> RegistrationVersions => Set<RegistrationVersion>();
    public DbSet<RegistrationPhoto> RegistrationPhotos => Set<RegistrationPhoto>();
    public DbSet<CertificateSequence> CertificateSequences => Set<CertificateSequence>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    /// <summary>Partial-index predicate shared by both providers: identifiers are quoted the same way.</summary>
    public const string OpenStayFilter = "\"Status\" <> 'ended'";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // All instants are UTC; SQLite forgets the kind, PostgreSQL's timestamptz insists on it.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<string>().HaveMaxLength(400);
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
            e.Property(r => r.Status).HasMaxLength(16);
            e.Property(r => r.PersonIdHmac).HasMaxLength(64);
            e.Property(r => r.PersonIdMasked).HasMaxLength(18);
            e.Property(r => r.PersonName).HasMaxLength(100);
            e.Property(r => r.ResidenceDivisionCode).HasMaxLength(12);
            e.Property(r => r.StationCode).HasMaxLength(12);
            e.Property(r => r.StationName).HasMaxLength(100);
            e.Property(r => r.CertificateNumber).HasMaxLength(32);
            e.Ignore(r => r.IsOpen);
            e.HasIndex(r => r.CertificateNumber).IsUnique();
            // One open stay per person per residence address, enforced by the database itself.
            e.HasIndex(r => new { r.PersonIdHmac, r.ResidenceAddressKey })
                .IsUnique()
                .HasFilter(OpenStayFilter)
                .HasDatabaseName("UX_Registrations_OpenStay");
            e.HasIndex(r => new { r.ResidenceDivisionCode, r.Status, r.DeclaredAt })
                .HasDatabaseName("IX_Registrations_Division");
            e.HasIndex(r => new { r.StationCode, r.Status, r.DeclaredAt })
                .HasDatabaseName("IX_Registrations_Station");
            e.HasIndex(r => r.PersonIdHmac);
        });

        modelBuilder.Entity<RegistrationVersion>(e =>
        {
            e.ToTable("RegistrationVersions");
            e.HasKey(v => v.Id);
            e.Property(v => v.Id).ValueGeneratedNever();
            e.Property(v => v.Kind).HasMaxLength(16);
            e.Property(v => v.Status).HasMaxLength(16);
            e.Property(v => v.ResidenceDivisionCode).HasMaxLength(12);
            e.HasOne<Registration>().WithMany().HasForeignKey(v => v.RegistrationId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(v => new { v.RegistrationId, v.Number }).IsUnique();
            e.HasIndex(v => v.ResidenceDivisionCode);
            e.OwnsOne(v => v.Record, r =>
            {
                r.Property(x => x.IdNumberCipher).HasMaxLength(200);
                r.Property(x => x.IdNumberHmac).HasMaxLength(64);
                r.Property(x => x.SocialInsurance).HasMaxLength(100);
                r.OwnsMany(x => x.Children, c =>
                {
                    c.ToTable("AccompanyingChildren");
                    c.WithOwner().HasForeignKey("VersionId");
                    c.Property<int>("Id");
                    c.HasKey("Id");
                    c.Property(x => x.IdNumberCipher).HasMaxLength(200);
                    c.Property(x => x.IdNumberHmac).HasMaxLength(64);
                });
            });
        });

        modelBuilder.Entity<RegistrationPhoto>(e =>
        {
            e.ToTable("RegistrationPhotos");
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).ValueGeneratedNever();
            e.Property(p => p.ResidenceDivisionCode).HasMaxLength(12);
            e.HasOne<Registration>().WithMany().HasForeignKey(p => p.RegistrationId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(p => p.RegistrationId);
            e.HasIndex(p => p.ResidenceDivisionCode);
        });

        modelBuilder.Entity<CertificateSequence>(e =>
        {
            e.ToTable("CertificateSequences");
            e.HasKey(s => new { s.DivisionCode, s.Year });
            e.Property(s => s.DivisionCode).HasMaxLength(12);
        });

        modelBuilder.Entity<IdempotencyRecord>(e =>
        {
            e.ToTable("IdempotencyRecords");
            e.HasKey(r => r.Key);
            e.Property(r => r.Key).HasMaxLength(200);
            e.Property(r => r.RequestHash).HasMaxLength(64);
            e.HasIndex(r => r.CreatedAt);
        });
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
