using Microsoft.EntityFrameworkCore;
using Sojourn.Data.Permits;
using Sojourn.Data.Validation;

namespace Sojourn.Data;

public abstract partial class SojournDbContext
{
    /// <summary>One correction per row: a second correction of the same row is refused (correct the newest instead).</summary>
    public const string HolderFactSupersedesIndex = "UX_HolderFacts_SupersedesId";

    public DbSet<HolderFact> HolderFacts => Set<HolderFact>();

    // Settled 常住户口 or died (issue 14, docs/adr/0009-compliance.md): the facts the permit-settle source reads.
    private void ConfigureSettle(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<HolderFact>(e =>
        {
            e.ToTable("HolderFacts");
            e.HasKey(f => f.Id);
            e.Property(f => f.Id).ValueGeneratedOnAdd();
            e.Property(f => f.PersonIdHmac).HasMaxLength(ColumnLengths.LookupHash);
            e.Property(f => f.ResidenceDivisionCode).HasMaxLength(ColumnLengths.DivisionCode);
            e.Property(f => f.StationCode).HasMaxLength(ColumnLengths.StationCode);
            e.Property(f => f.Kind).HasMaxLength(16);
            e.Property(f => f.HukouDivisionCode).HasMaxLength(ColumnLengths.DivisionCode);
            e.Property(f => f.DocumentRef).HasMaxLength(HolderFactLengths.DocumentRef);
            e.Property(f => f.Reason).HasMaxLength(HolderFactLengths.Reason);
            e.Property(f => f.RecordedBy).HasMaxLength(ColumnLengths.Actor);
            e.HasIndex(f => f.PersonIdHmac);
            e.HasIndex(f => f.SupersedesId).IsUnique().HasFilter("\"SupersedesId\" IS NOT NULL").HasDatabaseName(HolderFactSupersedesIndex);
            // Read and written as the permit it was recorded on is (the permits' jurisdiction filter).
            e.HasQueryFilter(f => Permits.Any(p => p.Id == f.PermitId));
        });
    }
}

/// <summary>The lengths of a holder fact's free text.</summary>
internal static class HolderFactLengths
{
    public const int DocumentRef = 100;
    public const int Reason = 500;
}
