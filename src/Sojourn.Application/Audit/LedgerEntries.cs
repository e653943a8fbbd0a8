using Sojourn.Application.Actors;
using Sojourn.Application.PersonalData;
using Sojourn.Data.Audit;

namespace Sojourn.Application.Audit;

/// <summary>
/// The audit entries of what a use case declared in its <see cref="PersonalDataLedger"/>: one per person and use
/// (repeats folded), naming the actor, its stated purpose and address. Every host writes these: the web's
/// AuditRecorder (endpoints and pages) and <see cref="AuditedOperation"/> (jobs, the CLI, the account decisions).
/// </summary>
public static class LedgerEntries
{
    /// <summary>
    /// Everything a ledger records: its uses (<see cref="From"/>); when it has none but names a person searched for
    /// and not found, that search (<see cref="PersonSearch"/>); else nothing.
    /// </summary>
    public static List<AuditEntry> Of(ActorIdentity actor, string operation, PersonalDataLedger ledger, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        return ledger.Uses.Count > 0 ? From(actor, operation, ledger, at)
            : ledger.SearchedPersonIdHmac is { } searched ? [PersonSearch(actor, operation, searched, "idNumber", at)]
            : [];
    }

    /// <summary>
    /// A search by identity number that found nothing (or a search of the audit by person): one entry under the
    /// number's lookup hash, never the number, so the person's access log shows it, and under the searcher's first
    /// division, so their supervisor's audit search finds it.
    /// </summary>
    public static AuditEntry PersonSearch(ActorIdentity actor, string operation, string personIdHmac, string fields, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var entry = Entry(actor, "search", operation, fields, at);
        entry.PersonIdHmac = personIdHmac;
        entry.ResidenceDivisionCode = actor.Scope.Divisions is [var first, ..] ? first : null;
        return entry;
    }

    public static List<AuditEntry> From(ActorIdentity actor, string operation, PersonalDataLedger ledger, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(ledger);
        return ledger.Uses
            .DistinctBy(u => (u.Action, u.Person.PersonIdHmac, u.Person.RegistrationId, u.Operation, string.Join(',', u.Fields)))
            .Select(u =>
            {
                var entry = Entry(actor, ActionName(u.Action), u.Operation ?? operation, string.Join(',', u.Fields), at);
                entry.RegistrationId = u.Person.RegistrationId;
                entry.PersonIdHmac = u.Person.PersonIdHmac;
                entry.ResidenceDivisionCode = u.Person.ResidenceDivisionCode;
                return entry;
            }).ToList();
    }

    /// <summary>An unsealed entry by <paramref name="actor"/>; the sequencer sets its place in the chain and its hashes.</summary>
    public static AuditEntry Entry(ActorIdentity actor, string action, string operation, string fields, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(fields);
        return new AuditEntry
        {
            At = at,
            AccountId = actor.AccountId,
            ActorRole = actor.Role,
            Office = actor.Office,
            Action = action,
            Operation = operation,
            Fields = fields.Length > Data.Validation.ColumnLengths.Default ? fields[..Data.Validation.ColumnLengths.Default] : fields,
            Purpose = actor.Purpose,
            Ip = actor.Ip,
        };
    }

    public static string ActionName(DataAction action) => action switch
    {
        DataAction.Read => "read",
        DataAction.List => "list",
        DataAction.Search => "search",
        _ => "write",
    };
}
