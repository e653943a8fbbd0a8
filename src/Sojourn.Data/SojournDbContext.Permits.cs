using Microsoft.EntityFrameworkCore;
using Sojourn.Data.Permits;
using Sojourn.Data.Validation;

namespace Sojourn.Data;

public abstract partial class SojournDbContext
{
    /// <summary>The partial unique index of "one person, one permit" (居住证一人一证, 山西2017 第十七条).</summary>
    public const string OnePermitIndex = "UX_Permits_OnePerPerson";

    private void ConfigurePermits(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Permit>(e =>
        {
            e.ToTable("Permits");
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).ValueGeneratedNever();
            e.Property(p => p.Version).IsConcurrencyToken();
            e.Property(p => p.Kind).HasMaxLength(16);
            e.Property(p => p.Status).HasMaxLength(ColumnLengths.Status);
            e.Property(p => p.PermitNumber).HasMaxLength(ColumnLengths.PermitNumber);
            e.Property(p => p.PersonName).HasMaxLength(ColumnLengths.PersonName);
            e.Property(p => p.PersonIdCipher).HasMaxLength(ColumnLengths.Cipher);
            e.Property(p => p.PersonIdHmac).HasMaxLength(ColumnLengths.LookupHash);
            e.Property(p => p.PersonIdMasked).HasMaxLength(ColumnLengths.MaskedId);
            e.Property(p => p.Sex).HasMaxLength(ColumnLengths.Code);
            e.Property(p => p.EthnicGroup).HasMaxLength(ColumnLengths.Code);
            e.Property(p => p.PhoneCipher).HasMaxLength(ColumnLengths.Cipher);
            e.Property(p => p.ResidenceDivisionCode).HasMaxLength(ColumnLengths.DivisionCode);
            e.Property(p => p.StationCode).HasMaxLength(ColumnLengths.StationCode);
            e.Property(p => p.StationName).HasMaxLength(ColumnLengths.StationName);
            e.Property(p => p.AuthorityCode).HasMaxLength(ColumnLengths.AuthorityCode);
            e.Property(p => p.AuthorityName).HasMaxLength(ColumnLengths.AuthorityName);
            e.Property(p => p.PolicyId).HasMaxLength(ColumnLengths.PolicyId);
            e.Property(p => p.ApplicantRelation).HasMaxLength(16);
            e.Property(p => p.ApplicantName).HasMaxLength(ColumnLengths.PersonName);
            e.Property(p => p.FactsJson).HasColumnType("text");
            e.Property(p => p.CreatedBy).HasMaxLength(ColumnLengths.Actor);
            e.Ignore(p => p.IsCurrent);
            e.HasIndex(p => p.PermitNumber).IsUnique();
            // One person, one permit, anywhere: the database refuses a second current permit or application.
            e.HasIndex(p => p.PersonIdHmac).IsUnique().HasFilter(PermitStatus.CurrentFilter).HasDatabaseName(OnePermitIndex);
            e.HasIndex(p => new { p.PersonIdHmac, p.CreatedAt }).HasDatabaseName("IX_Permits_Person");
            e.HasIndex(p => new { p.ResidenceDivisionCode, p.Status, p.EndorsementDue }).HasDatabaseName("IX_Permits_Division");
            e.HasIndex(p => new { p.StationCode, p.Status, p.IssueDue }).HasDatabaseName("IX_Permits_Station");
            e.HasIndex(p => new { p.AuthorityCode, p.StatusIndex }).IsUnique();
            e.HasOne<Registrations.Registration>().WithMany().HasForeignKey(p => p.RegistrationId).OnDelete(DeleteBehavior.Restrict);
            e.HasQueryFilter(p => FilterAll
                || (FilterJurisdiction && (FilterDivisions.Any(d => EF.Functions.Like(p.ResidenceDivisionCode, d + "%"))
                    || FilterStations.Contains(p.StationCode)))
                || (FilterPerson && p.PersonIdHmac == FilterPersonHmac)
                // A landlord or employer reaches the permits of people they reported (to report a death).
                || (FilterReporter && Registrations.Any(r => r.Id == p.RegistrationId)));
        });

        modelBuilder.Entity<PermitEvent>(e =>
        {
            e.ToTable("PermitEvents");
            e.HasKey(v => v.Id);
            e.Property(v => v.Id).ValueGeneratedNever();
            e.Property(v => v.Kind).HasMaxLength(32);
            e.Property(v => v.StatusAfter).HasMaxLength(ColumnLengths.Status);
            e.Property(v => v.Actor).HasMaxLength(ColumnLengths.Actor);
            e.Property(v => v.ActorRole).HasMaxLength(ColumnLengths.Role);
            e.Property(v => v.Office).HasMaxLength(ColumnLengths.OfficeName);
            e.Property(v => v.Reason).HasMaxLength(ColumnLengths.PermitReason);
            e.Property(v => v.Basis).HasMaxLength(ColumnLengths.Basis);
            e.Property(v => v.Engine).HasColumnType("text");
            e.Property(v => v.Details).HasColumnType("text");
            e.Property(v => v.ResidenceDivisionCode).HasMaxLength(ColumnLengths.DivisionCode);
            e.HasOne<Permit>().WithMany().HasForeignKey(v => v.PermitId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(v => new { v.PermitId, v.Number }).IsUnique();
            e.HasQueryFilter(v => Permits.Any(p => p.Id == v.PermitId));
        });

        modelBuilder.Entity<IssuerKeyRecord>(e =>
        {
            e.ToTable("IssuerKeys");
            e.HasKey(k => k.AuthorityCode);
            e.Property(k => k.AuthorityCode).HasMaxLength(ColumnLengths.AuthorityCode);
            e.Property(k => k.AuthorityName).HasMaxLength(ColumnLengths.AuthorityName);
            e.Property(k => k.RingCipher).HasColumnType("text");
            e.Property(k => k.PublicRingJson).HasColumnType("text");
            e.Property(k => k.Version).IsConcurrencyToken();
        });

        modelBuilder.Entity<StatusListRecord>(e =>
        {
            e.ToTable("StatusLists");
            e.HasKey(s => s.AuthorityCode);
            e.Property(s => s.AuthorityCode).HasMaxLength(ColumnLengths.AuthorityCode);
            e.Property(s => s.SignedList).HasColumnType("text");
            e.Property(s => s.Version).IsConcurrencyToken();
        });

        modelBuilder.Entity<IssuedCredential>(e =>
        {
            e.ToTable("IssuedCredentials");
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).ValueGeneratedNever();
            e.Property(c => c.AuthorityCode).HasMaxLength(ColumnLengths.AuthorityCode);
            e.Property(c => c.KeyId).HasMaxLength(16);
            e.Property(c => c.Compact).HasColumnType("text");
            e.Property(c => c.Status).HasMaxLength(ColumnLengths.Status);
            e.Property(c => c.ResidenceDivisionCode).HasMaxLength(ColumnLengths.DivisionCode);
            e.HasOne<Permit>().WithMany().HasForeignKey(c => c.PermitId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(c => new { c.PermitId, c.IssuedAt });
            e.HasQueryFilter(c => Permits.Any(p => p.Id == c.PermitId));
        });

        modelBuilder.Entity<CredentialCheck>(e =>
        {
            e.ToTable("CredentialChecks");
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).ValueGeneratedNever();
            e.Property(c => c.Channel).HasMaxLength(8);
            e.Property(c => c.AccountId).HasMaxLength(ColumnLengths.Actor);
            e.Property(c => c.Role).HasMaxLength(ColumnLengths.Role);
            e.Property(c => c.Office).HasMaxLength(ColumnLengths.OfficeName);
            e.Property(c => c.Purpose).HasMaxLength(ColumnLengths.AuditPurpose);
            e.Property(c => c.Ip).HasMaxLength(ColumnLengths.Ip);
            e.Property(c => c.PermitNumber).HasMaxLength(ColumnLengths.PermitNumber);
            e.Property(c => c.AuthorityCode).HasMaxLength(ColumnLengths.AuthorityCode);
            e.Property(c => c.Outcome).HasMaxLength(32);
            e.HasIndex(c => new { c.PermitId, c.At });
            e.HasIndex(c => c.At);
        });

        modelBuilder.Entity<PermitReminder>(e =>
        {
            e.ToTable("PermitReminders");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).ValueGeneratedNever();
            e.Property(r => r.PersonIdHmac).HasMaxLength(ColumnLengths.LookupHash);
            e.Property(r => r.Kind).HasMaxLength(16);
            e.Property(r => r.Message).HasMaxLength(1000);
            e.Property(r => r.Basis).HasMaxLength(200);
            e.Property(r => r.ResidenceDivisionCode).HasMaxLength(ColumnLengths.DivisionCode);
            e.HasOne<Permit>().WithMany().HasForeignKey(r => r.PermitId).OnDelete(DeleteBehavior.Restrict);
            // The reminder job may run any number of times: one reminder per permit, kind and deadline.
            e.HasIndex(r => new { r.PermitId, r.Kind, r.DueOn }).IsUnique();
            e.HasIndex(r => new { r.PersonIdHmac, r.CreatedAt });
            e.HasQueryFilter(r => Permits.Any(p => p.Id == r.PermitId));
        });

        modelBuilder.Entity<SmsOutboxMessage>(e =>
        {
            e.ToTable("SmsOutbox");
            e.HasKey(m => m.Id);
            e.Property(m => m.Id).ValueGeneratedNever();
            e.Property(m => m.PhoneCipher).HasMaxLength(ColumnLengths.Cipher);
            e.Property(m => m.Text).HasMaxLength(500);
            e.Property(m => m.LastError).HasMaxLength(ColumnLengths.Default);
            e.HasOne<PermitReminder>().WithMany().HasForeignKey(m => m.ReminderId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(m => new { m.SentAt, m.CreatedAt });
        });
    }
}
