using Sojourn.Data.Domain;

namespace Sojourn.Data.Registrations;

/// <summary>
/// A step in a registration's life, raised by the <see cref="Registration"/> method that took it, with the version it
/// appended (numbered as the registration's version after the step). The history handler stores that version.
/// </summary>
public abstract record RegistrationDomainEvent(Registration Registration, RegistrationVersion Version) : IDomainEvent
{
    /// <summary>The step changed facts the registration duty reads (arrival, residence, purpose, lodging, the day registered).</summary>
    public virtual bool ChangesDutyFacts => true;
}

/// <summary>申报: a new stay, declared by the person or reported for them.</summary>
internal sealed record RegistrationDeclared(Registration Registration, RegistrationVersion Version) : RegistrationDomainEvent(Registration, Version);

/// <summary>确认 by the station: the certificate number issued, the person's registration completed.</summary>
internal sealed record RegistrationConfirmed(Registration Registration, RegistrationVersion Version) : RegistrationDomainEvent(Registration, Version);

/// <summary>
/// 更正 or 变更 (the version's kind says which). <see cref="PersonIdHmacBefore"/> is the person before it: a corrected
/// identity number moves the record to another person.
/// </summary>
internal sealed record RegistrationAmended(Registration Registration, RegistrationVersion Version, string PersonIdHmacBefore)
    : RegistrationDomainEvent(Registration, Version)
{
    public bool PersonChanged => !string.Equals(PersonIdHmacBefore, Registration.PersonIdHmac, StringComparison.Ordinal);
}

/// <summary>A new recent photo (近期照片): the facts the duty reads are unchanged.</summary>
internal sealed record RegistrationPhotoAttached(Registration Registration, RegistrationVersion Version) : RegistrationDomainEvent(Registration, Version)
{
    public override bool ChangesDutyFacts => false;
}

/// <summary>注销 on departure: the stay is over; its duty stays as it was evaluated.</summary>
public sealed record RegistrationEnded(Registration Registration, RegistrationVersion Version) : RegistrationDomainEvent(Registration, Version)
{
    public override bool ChangesDutyFacts => false;
}
