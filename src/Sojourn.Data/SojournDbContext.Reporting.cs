using Microsoft.EntityFrameworkCore;
using Sojourn.Data.Reporting;
using Sojourn.Data.Validation;

namespace Sojourn.Data;

public abstract partial class SojournDbContext
{
    public DbSet<Establishment> Establishments => Set<Establishment>();
    public DbSet<EstablishmentReporter> EstablishmentReporters => Set<EstablishmentReporter>();
    public DbSet<ThirdPartyReport> ThirdPartyReports => Set<ThirdPartyReport>();
    public DbSet<House> Houses => Set<House>();
    public DbSet<Room> Rooms => Set<Room>();

    private void ConfigureReporting(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Establishment>(e =>
        {
            e.ToTable("Establishments");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Code).HasMaxLength(32);
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Kind).HasMaxLength(24);
            e.Property(x => x.PartyKind).HasMaxLength(16);
            e.Property(x => x.DivisionCode).HasMaxLength(12);
            e.Property(x => x.StationCode).HasMaxLength(12);
            e.Property(x => x.Address).HasMaxLength(200);
            e.HasIndex(x => x.Code).IsUnique();
            e.HasIndex(x => x.DivisionCode);
        });

        modelBuilder.Entity<EstablishmentReporter>(e =>
        {
            e.ToTable("EstablishmentReporters");
            e.HasKey(x => new { x.EstablishmentId, x.AccountId });
            e.Property(x => x.AccountId).HasMaxLength(64);
            e.HasIndex(x => x.AccountId);
            e.HasOne<Establishment>().WithMany().HasForeignKey(x => x.EstablishmentId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<House>(e =>
        {
            e.ToTable("Houses");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Code).HasMaxLength(32);
            e.Property(x => x.DivisionCode).HasMaxLength(12);
            e.Property(x => x.Address).HasMaxLength(200);
            e.HasIndex(x => x.Code).IsUnique();
            e.HasIndex(x => new { x.DivisionCode, x.Address });
            e.HasOne<Establishment>().WithMany().HasForeignKey(x => x.LandlordId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<Room>(e =>
        {
            e.ToTable("Rooms");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Number).HasMaxLength(16);
            e.HasIndex(x => new { x.HouseId, x.Number }).IsUnique();
            e.HasOne<House>().WithMany().HasForeignKey(x => x.HouseId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ThirdPartyReport>(e =>
        {
            e.ToTable("ThirdPartyReports");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.AccountId).HasMaxLength(64);
            e.Property(x => x.Kind).HasMaxLength(16);
            e.Property(x => x.PersonName).HasMaxLength(ColumnLengths.PersonName);
            e.Property(x => x.PersonIdHmac).HasMaxLength(64);
            e.Property(x => x.PersonIdMasked).HasMaxLength(18);
            e.Property(x => x.DivisionCode).HasMaxLength(12);
            e.Property(x => x.DutyId).HasMaxLength(48);
            e.Property(x => x.Due).HasMaxLength(20);
            e.Property(x => x.Timeliness).HasMaxLength(16);
            e.Property(x => x.Basis).HasMaxLength(100);
            e.Property(x => x.EngineJson).HasColumnType("text");
            e.Property(x => x.IdempotencyKey).HasMaxLength(64);
            e.HasIndex(x => x.IdempotencyKey).IsUnique();
            e.HasIndex(x => new { x.EstablishmentId, x.ReceivedAt });
            e.HasIndex(x => new { x.DivisionCode, x.ReportedOn });
            e.HasIndex(x => x.PersonIdHmac);
            e.HasOne<Establishment>().WithMany().HasForeignKey(x => x.EstablishmentId).OnDelete(DeleteBehavior.Restrict);
            // The same reach as registrations: an official's jurisdiction, a person's own, a reporter's establishments.
            e.HasQueryFilter(r => FilterAll
                || (FilterJurisdiction && FilterDivisions.Any(d => EF.Functions.Like(r.DivisionCode, d + "%")))
                || (FilterPerson && r.PersonIdHmac == FilterPersonHmac)
                || (FilterReporter && EstablishmentReporters.Any(l => l.EstablishmentId == r.EstablishmentId && l.AccountId == FilterAccountId)));
        });
    }
}
