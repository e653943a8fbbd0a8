using Microsoft.EntityFrameworkCore;
using Sojourn.Data.Registrations;

namespace Sojourn.Data;

public abstract partial class SojournDbContext
{
    /// <summary>
    /// 用人单位 and 入职日期 on a registration (ADR 0009, migration Hires): in every version's record (history) and, for
    /// the current version, on the stay itself, indexed so that the sweep finds the stays naming an employer directly.
    /// </summary>
    private static void ConfigureHires(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Registration>(e =>
        {
            e.Property(r => r.EmployerCode).HasMaxLength(32);
            e.HasIndex(r => r.EmployerCode).HasFilter("\"EmployerCode\" IS NOT NULL").HasDatabaseName("IX_Registrations_Employer");
        });
        modelBuilder.Entity<RegistrationVersion>(e => e.OwnsOne(v => v.Record, r => r.Property(x => x.EmployerCode).HasMaxLength(32)));
    }
}
