using Sojourn.Data.Domain;

namespace Sojourn.Data.Registrations;

/// <summary>
/// One person's stay at one residence address. The row holds what queries and indexes need
/// (status, division, station, lookup hash); the content lives in <see cref="RegistrationVersion"/>
/// rows that are only ever appended (山西2017 第十二条 更正/变更 keep history).
/// A row is made only by <see cref="Declare"/>; its state then changes only through its steps (confirm, amend, attach a
/// photo, depart), each guarding the status it starts from and raising a domain event. The side effects (the version
/// row appended to the history, the registration duty evaluated again) run from the events when the unit of work saves.
/// </summary>
public sealed class Registration : AggregateRoot
{
    /// <summary>The states each step starts from (山西2017 第九条, 第十二条): confirmed once; amended or ended while open.</summary>
    private static readonly Dictionary<string, string[]> OpenFrom = new(StringComparer.Ordinal)
    {
        [RegistrationStep.Confirm] = [RegistrationStatus.Declared],
        [RegistrationStep.Amend] = [RegistrationStatus.Declared, RegistrationStatus.Confirmed],
        [RegistrationStep.Depart] = [RegistrationStatus.Declared, RegistrationStatus.Confirmed],
    };

    private Registration()
    {
    }

    public Guid Id { get; private set; }
    public string Status { get; private set; } = RegistrationStatus.Declared;

    /// <summary>Number of the latest version; the optimistic concurrency token (ETag).</summary>
    public int Version { get; private set; }

    public string PersonName { get; private set; } = "";
    public string PersonIdHmac { get; private set; } = "";
    public string PersonIdMasked { get; private set; } = "";

    /// <summary>GB/T 2260 code of the residence: the partition key of every large table.</summary>
    public string ResidenceDivisionCode { get; private set; } = "";

    /// <summary>Normalised residence address, part of the one-open-stay unique index.</summary>
    public string ResidenceAddressKey { get; private set; } = "";

    public string? StationCode { get; private set; }
    public string? StationName { get; private set; }

    /// <summary>居住登记凭证号, issued on confirmation.</summary>
    public string? CertificateNumber { get; private set; }

    public DateOnly ArrivedOn { get; private set; }

    /// <summary>The current version's 用人单位 (establishment code) and 入职日期: the compliance sweep's hire candidates.</summary>
    public string? EmployerCode { get; private set; }

    public DateOnly? HiredOn { get; private set; }
    public DateOnly? DepartedOn { get; private set; }
    public DateTime DeclaredAt { get; private set; }
    public DateTime? ConfirmedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    public bool IsOpen => Status != RegistrationStatus.Ended;

    /// <summary>The day the person's own declaration was made (申报); null while only a reporter has reported the stay.</summary>
    public DateOnly? RegisteredOn { get; private set; }

    /// <summary>Due day of the person's registration duty from the rules engine; null where no duty applies.</summary>
    public DateOnly? RegistrationDue { get; private set; }

    /// <summary>open, met, late, overdue or none, as of the last evaluation (the sweep moves open to overdue).</summary>
    public string RegistrationDutyStatus { get; private set; } = "none";

    /// <summary>The duty's article (<c>shanxi-2017#9</c>), or the policy that says why there is none.</summary>
    public string? RegistrationDutyBasis { get; private set; }

    /// <summary>The chain that governs the stay (<c>shanxi-2017&gt;cn-2016</c>): the sweep reads the sanction from it.</summary>
    public string? RegistrationPolicies { get; private set; }

    /// <summary>The engine stamp of the evaluation (version and policy hashes, JSON).</summary>
    public string? RegistrationEngine { get; private set; }

    /// <summary>Records the engine's answer for the registration duty (on every change of the facts it reads).</summary>
    public void SetRegistrationDuty(DateOnly? due, string status, string? basis, string? policies, string engine)
    {
        RegistrationDue = due;
        RegistrationDutyStatus = status;
        RegistrationDutyBasis = basis;
        RegistrationPolicies = policies;
        RegistrationEngine = engine;
    }

    /// <summary>The person's declaration was made on <paramref name="day"/> (kept when already set: the first one counts).</summary>
    public void RecordRegistered(DateOnly day) => RegisteredOn ??= day;

    /// <summary>Whether <paramref name="step"/> may start from the registration's current status.</summary>
    public bool IsOpenFor(string step) => OpenFrom.TryGetValue(step, out var from) && from.Contains(Status, StringComparer.Ordinal);

    /// <summary>
    /// 申报 (山西2017 第九条): a new stay, declared by the person or reported for them. <paramref name="registeredOn"/> is the
    /// day of the person's own declaration (null for a reporter's report: the person's duty stays pending).
    /// </summary>
    public static (Registration Registration, RegistrationVersion Version) Declare(
        Guid id, RegistrationRecord record, Declarant declarant, string recordedBy, DateTime now, DateOnly? registeredOn = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(declarant);
        var registration = new Registration { Id = id, DeclaredAt = now };
        registration.Apply(record, now);
        if (registeredOn is { } day)
        {
            registration.RecordRegistered(day);
        }

        var version = registration.Append(VersionKind.Declaration, record, declarant, null, recordedBy, now);
        registration.Raise(new RegistrationDeclared(registration, version));
        return (registration, version);
    }

    /// <summary>
    /// 确认 by the station of the residence: the certificate number is issued, and the station completes a reported
    /// stay's registration on <paramref name="on"/> (the person appears before it).
    /// </summary>
    public RegistrationVersion Confirm(
        RegistrationRecord current, string stationCode, string stationName, string certificateNumber,
        Declarant officer, string recordedBy, DateTime now, DateOnly on)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentException.ThrowIfNullOrEmpty(stationCode);
        ArgumentException.ThrowIfNullOrEmpty(certificateNumber);
        Guard(RegistrationStep.Confirm);
        Status = RegistrationStatus.Confirmed;
        StationCode = stationCode;
        StationName = stationName;
        CertificateNumber = certificateNumber;
        ConfirmedAt = now;
        RecordRegistered(on);
        var version = Append(VersionKind.Confirmation, current.Copy(), officer, null, recordedBy, now);
        Raise(new RegistrationConfirmed(this, version));
        return version;
    }

    /// <summary>
    /// Correction (更正) or change (变更): a new snapshot replaces the current one. <paramref name="registeredOn"/> is the
    /// day when the amendment is the person's own declaration (null otherwise).
    /// </summary>
    public RegistrationVersion Amend(
        string kind, RegistrationRecord updated, Declarant declarant, string? reason, string recordedBy, DateTime now,
        DateOnly? registeredOn = null)
    {
        ArgumentNullException.ThrowIfNull(updated);
        if (kind is not (VersionKind.Correction or VersionKind.Change))
        {
            throw new DomainRuleException("amend:" + kind, Status);
        }

        Guard(RegistrationStep.Amend);
        var personBefore = PersonIdHmac;
        Apply(updated, now);
        if (registeredOn is { } day)
        {
            RecordRegistered(day);
        }

        var version = Append(kind, updated, declarant, reason, recordedBy, now);
        Raise(new RegistrationAmended(this, version, personBefore));
        return version;
    }

    /// <summary>近期照片: a new version of the current record pointing at the photo, declared as the current one was.</summary>
    public RegistrationVersion AttachPhoto(RegistrationVersion current, Guid photoId, string recordedBy, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(current);
        Guard(RegistrationStep.Amend);
        var record = current.Record.Copy();
        record.PhotoId = photoId;
        UpdatedAt = now;
        var version = Append(VersionKind.Photo, record,
            new Declarant(current.DeclarantChannel, current.DeclarantName, current.DeclarantRole), null, recordedBy, now);
        Raise(new RegistrationPhotoAttached(this, version));
        return version;
    }

    /// <summary>注销 on departure (第十二条): the stay ends on <paramref name="departedOn"/>.</summary>
    public RegistrationVersion Depart(
        RegistrationRecord current, DateOnly departedOn, Declarant declarant, string? reason, string recordedBy,
        DateTime now)
    {
        ArgumentNullException.ThrowIfNull(current);
        Guard(RegistrationStep.Depart);
        Status = RegistrationStatus.Ended;
        DepartedOn = departedOn;
        var version = Append(VersionKind.Departure, current.Copy(), declarant, reason, recordedBy, now);
        Raise(new RegistrationEnded(this, version));
        return version;
    }

    /// <summary>Key of the one-open-stay index: division plus address with white space removed.</summary>
    public static string AddressKey(string divisionCode, string address) =>
        divisionCode + "|" + string.Concat(address.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();

    private void Guard(string step)
    {
        if (!IsOpenFor(step))
        {
            throw new DomainRuleException(step, Status);
        }
    }

    private void Apply(RegistrationRecord record, DateTime now)
    {
        PersonName = record.Name;
        PersonIdHmac = record.IdNumberHmac;
        PersonIdMasked = record.IdNumberMasked;
        ResidenceDivisionCode = record.ResidenceDivisionCode;
        ResidenceAddressKey = AddressKey(record.ResidenceDivisionCode, record.ResidenceAddress);
        ArrivedOn = record.ArrivedOn;
        EmployerCode = record.EmployerCode;
        HiredOn = record.HiredOn;
        UpdatedAt = now;
    }

    private RegistrationVersion Append(
        string kind, RegistrationRecord record, Declarant declarant, string? reason, string recordedBy, DateTime now)
    {
        Version++;
        UpdatedAt = now;
        return new RegistrationVersion
        {
            Id = Guid.CreateVersion7(),
            RegistrationId = Id,
            Number = Version,
            Kind = kind,
            Status = Status,
            RecordedAt = now,
            RecordedBy = recordedBy,
            DeclarantChannel = declarant.Channel,
            DeclarantName = declarant.Name,
            DeclarantRole = declarant.Role,
            Reason = reason,
            ResidenceDivisionCode = record.ResidenceDivisionCode,
            StationCode = StationCode,
            StationName = StationName,
            CertificateNumber = CertificateNumber,
            DepartedOn = DepartedOn,
            Record = record,
        };
    }
}

/// <summary>Who declared: the person (self), an officer, or a community collector on their behalf.</summary>
public sealed record Declarant(string Channel, string Name, string? Role);

/// <summary>One appended state of a registration: what changed, who declared and entered it, when.</summary>
public sealed class RegistrationVersion
{
    public Guid Id { get; init; }
    public Guid RegistrationId { get; init; }
    public int Number { get; init; }
    public required string Kind { get; init; }
    public required string Status { get; init; }
    public DateTime RecordedAt { get; init; }

    /// <summary>The signed-in actor who entered the version, as <c>role:userName</c>.</summary>
    public required string RecordedBy { get; init; }

    public required string DeclarantChannel { get; init; }
    public required string DeclarantName { get; init; }
    public string? DeclarantRole { get; init; }
    public string? Reason { get; init; }
    public required string ResidenceDivisionCode { get; init; }
    public string? StationCode { get; init; }
    public string? StationName { get; init; }
    public string? CertificateNumber { get; init; }
    public DateOnly? DepartedOn { get; init; }
    public required RegistrationRecord Record { get; init; }
}
