using Microsoft.EntityFrameworkCore;
using Sojourn.Data.Compliance;

namespace Sojourn.Data;

public abstract partial class SojournDbContext
{
    /// <summary>The unique key of a duty instance: a second sweep inserts nothing for a duty that has a case.</summary>
    public const string CaseDutyKeyIndex = "UX_ComplianceCases_DutyKey";

    public DbSet<ComplianceCase> ComplianceCases => Set<ComplianceCase>();
    public DbSet<ComplianceCaseEvent> ComplianceCaseEvents => Set<ComplianceCaseEvent>();

    private void ConfigureCompliance(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Registrations.Registration>(e =>
        {
            e.Property(r => r.RegistrationDutyStatus).HasMaxLength(16);
            e.Property(r => r.RegistrationDutyBasis).HasMaxLength(64);
            e.Property(r => r.RegistrationPolicies).HasMaxLength(128);
            e.Property(r => r.RegistrationEngine).HasColumnType("text");
            // The sweep and the lists' deadline filter: open stays by duty status and due day, per division.
            e.HasIndex(r => new { r.RegistrationDutyStatus, r.RegistrationDue, r.ResidenceDivisionCode })
                .HasDatabaseName("IX_Registrations_Duty");
            // Partial indexes (ADR 0009, migration Sweep), so that a run's cost follows what changed, not what exists:
            // the stays whose duty was never stamped (the backfill), and the late or overdue stays still open (the
            // candidates for a case; a stay that has one is skipped by an anti-join on the cases' SubjectId).
            e.HasIndex(r => r.Id).HasFilter("\"RegistrationEngine\" IS NULL").HasDatabaseName("IX_Registrations_Unstamped");
            e.HasIndex(r => r.RegistrationPolicies)
                .HasFilter("\"RegistrationDutyStatus\" IN ('late', 'overdue') AND \"Status\" <> 'ended'")
                .HasDatabaseName("IX_Registrations_LateOrOverdue");
        });

        modelBuilder.Entity<ComplianceCase>(e =>
        {
            e.ToTable("ComplianceCases");
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).ValueGeneratedOnAdd();
            e.Property(c => c.Version).IsConcurrencyToken();
            e.Property(c => c.DutyKey).HasMaxLength(160);
            e.Property(c => c.Source).HasMaxLength(32);
            e.Property(c => c.PersonIdHmac).HasMaxLength(64);
            e.Property(c => c.ResidenceDivisionCode).HasMaxLength(12);
            e.Property(c => c.StationCode).HasMaxLength(12);
            e.Property(c => c.Duty).HasMaxLength(64);
            e.Property(c => c.Party).HasMaxLength(16);
            e.Property(c => c.DutyBasis).HasMaxLength(64);
            e.Property(c => c.DutyStatus).HasMaxLength(16);
            e.Property(c => c.SanctionBasis).HasMaxLength(64);
            e.Property(c => c.OrderLimitBasis).HasMaxLength(64);
            e.Property(c => c.Policies).HasMaxLength(128);
            e.Property(c => c.Engine).HasColumnType("text");
            e.Property(c => c.State).HasMaxLength(16);
            e.Property(c => c.Outcome).HasMaxLength(16);
            e.Property(c => c.Reason).HasMaxLength(200);
            e.Property(c => c.DecidedBy).HasMaxLength(Validation.ColumnLengths.Actor);
            e.Property(c => c.OpenedBy).HasMaxLength(Validation.ColumnLengths.Actor);
            e.HasIndex(c => c.DutyKey).IsUnique().HasDatabaseName(CaseDutyKeyIndex);
            e.HasIndex(c => new { c.ResidenceDivisionCode, c.State, c.CorrectBy }).HasDatabaseName("IX_ComplianceCases_Division");
            e.HasIndex(c => new { c.StationCode, c.State }).HasDatabaseName("IX_ComplianceCases_Station");
            e.HasIndex(c => c.SubjectId);
            // Officials only, within their jurisdiction, as for registrations; no person or reporter reach.
            e.HasQueryFilter(c => FilterAll
                || (FilterJurisdiction && (FilterDivisions.Any(d => EF.Functions.Like(c.ResidenceDivisionCode, d + "%"))
                    || (c.StationCode != null && FilterStations.Contains(c.StationCode)))));
        });

        modelBuilder.Entity<ComplianceCaseEvent>(e =>
        {
            e.ToTable("ComplianceCaseEvents");
            e.HasKey(v => v.Id);
            e.Property(v => v.Id).ValueGeneratedOnAdd();
            e.Property(v => v.Kind).HasMaxLength(16);
            e.Property(v => v.State).HasMaxLength(16);
            e.Property(v => v.Actor).HasMaxLength(Validation.ColumnLengths.Actor);
            e.Property(v => v.Basis).HasMaxLength(64);
            e.Property(v => v.Details).HasColumnType("text");
            e.HasOne<ComplianceCase>().WithMany().HasForeignKey(v => v.CaseId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(v => new { v.CaseId, v.Number }).IsUnique();
            e.HasQueryFilter(v => ComplianceCases.Any(c => c.Id == v.CaseId));
        });
    }
}
