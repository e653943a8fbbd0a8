using Microsoft.EntityFrameworkCore;
using Sojourn.Data.Reporting;

namespace Sojourn.Data;

public abstract partial class SojournDbContext
{
    public DbSet<ReportImport> ReportImports => Set<ReportImport>();
    public DbSet<ReportImportRejection> ReportImportRejections => Set<ReportImportRejection>();

    private void ConfigureImports(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ReportImport>(e =>
        {
            e.ToTable("ReportImports");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.DivisionCode).HasMaxLength(12);
            e.Property(x => x.AccountId).HasMaxLength(64);
            e.Property(x => x.FileName).HasMaxLength(200);
            e.Property(x => x.Format).HasMaxLength(8);
            e.Property(x => x.FileHash).HasMaxLength(64);
            e.Property(x => x.Status).HasMaxLength(16);
            e.Property(x => x.Error).HasMaxLength(500);
            e.Property(x => x.Version).IsConcurrencyToken();
            // A re-upload of the same file for the same establishment finds the first import.
            e.HasIndex(x => new { x.EstablishmentId, x.FileHash }).IsUnique();
            e.HasIndex(x => new { x.AccountId, x.CreatedAt });
            e.HasIndex(x => x.Status);
            e.HasOne<Establishment>().WithMany().HasForeignKey(x => x.EstablishmentId).OnDelete(DeleteBehavior.Restrict);
            // The reach of the reports it creates: an official's jurisdiction, a reporter's establishments.
            e.HasQueryFilter(i => FilterAll
                || (FilterJurisdiction && FilterDivisions.Any(d => EF.Functions.Like(i.DivisionCode, d + "%")))
                || (FilterReporter && EstablishmentReporters.Any(l => l.EstablishmentId == i.EstablishmentId && l.AccountId == FilterAccountId)));
        });

        modelBuilder.Entity<ReportImportRejection>(e =>
        {
            e.ToTable("ReportImportRejections");
            e.HasKey(x => new { x.ImportId, x.RowNumber, x.Seq });
            e.Property(x => x.Column).HasMaxLength(64);
            e.Property(x => x.Reason).HasMaxLength(300);
            e.HasOne<ReportImport>().WithMany().HasForeignKey(x => x.ImportId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
