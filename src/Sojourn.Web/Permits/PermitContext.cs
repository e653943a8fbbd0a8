using Microsoft.EntityFrameworkCore;
using Sojourn.Data.Permits;

namespace Sojourn.Web.Permits;

/// <summary>
/// What is left of the web host's permit context now that every step is a use case in Sojourn.Application
/// (PermitStore, PermitRows): two helpers the tests and tools still call by this name.
/// </summary>
public static class PermitContext
{
    /// <summary>A new permit row for the person of a confirmed registration (PermitRows.FromRegistration).</summary>
    public static Permit FromRegistration(
        Data.Registrations.Registration registration, Data.Registrations.RegistrationRecord record,
        string kind, string status, string authorityName, DateTime now, string actor) =>
        PermitRows.FromRegistration(registration, record, kind, status, authorityName, now, actor);

    /// <summary>A second current permit for the person: the database's one-permit index.</summary>
    public static bool IsOnePermitViolation(DbUpdateException e) => PermitStore.IsOnePermitViolation(e);
}
