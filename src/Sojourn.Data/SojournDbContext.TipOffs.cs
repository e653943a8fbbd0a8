using Microsoft.EntityFrameworkCore;
using Sojourn.Data.TipOffs;
using Sojourn.Data.Validation;

namespace Sojourn.Data;

public abstract partial class SojournDbContext
{
    public DbSet<TipOff> TipOffs => Set<TipOff>();

    private void ConfigureTipOffs(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<TipOff>(e =>
        {
            e.ToTable("TipOffs");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Kind).HasMaxLength(24);
            e.Property(x => x.DivisionCode).HasMaxLength(ColumnLengths.DivisionCode);
            e.Property(x => x.Address).HasMaxLength(TipOffLengths.Address);
            e.Property(x => x.Description).HasMaxLength(TipOffLengths.Description);
            e.Property(x => x.ContactCipher).HasMaxLength(TipOffLengths.ContactCipher);
            e.Property(x => x.StationCode).HasMaxLength(ColumnLengths.StationCode);
            e.Property(x => x.Status).HasMaxLength(ColumnLengths.Status);
            e.Property(x => x.ClosedBy).HasMaxLength(ColumnLengths.Actor);
            e.Property(x => x.ClosingNote).HasMaxLength(TipOffLengths.Note);
            e.HasIndex(x => new { x.StationCode, x.Status, x.ReceivedAt });
            e.HasIndex(x => new { x.DivisionCode, x.Status, x.ReceivedAt });
            // Leads are for the police of the address: an official's jurisdiction (division or station), nobody else.
            e.HasQueryFilter(t => FilterAll
                || (FilterJurisdiction && (FilterDivisions.Any(d => EF.Functions.Like(t.DivisionCode, d + "%"))
                    || FilterStations.Contains(t.StationCode))));
        });
    }
}
