namespace Sojourn.Data.Registrations;

/// <summary>
/// One person's stay at one residence address. The row holds what queries and indexes need
/// (status, division, station, lookup hash); the content lives in <see cref="RegistrationVersion"/>
/// rows that are only ever appended (山西2017 第十二条 更正/变更 keep history).
/// </summary>
public sealed class Registration
{
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

    public static (Registration Registration, RegistrationVersion Version) Declare(
        Guid id, RegistrationRecord record, Declarant declarant, string recordedBy, DateTime now)
    {
        var registration = new Registration { Id = id, DeclaredAt = now };
        registration.Apply(record, now);
        var version = registration.Append(VersionKind.Declaration, record, declarant, null, recordedBy, now);
        return (registration, version);
    }

    public RegistrationVersion Confirm(
        RegistrationRecord current, string stationCode, string stationName, string certificateNumber,
        Declarant officer, string recordedBy, DateTime now)
    {
        Status = RegistrationStatus.Confirmed;
        StationCode = stationCode;
        StationName = stationName;
        CertificateNumber = certificateNumber;
        ConfirmedAt = now;
        return Append(VersionKind.Confirmation, current.Copy(), officer, null, recordedBy, now);
    }

    /// <summary>Correction (更正) or change (变更): a new snapshot replaces the current one.</summary>
    public RegistrationVersion Amend(
        string kind, RegistrationRecord updated, Declarant declarant, string? reason, string recordedBy, DateTime now)
    {
        Apply(updated, now);
        return Append(kind, updated, declarant, reason, recordedBy, now);
    }

    public RegistrationVersion Depart(
        RegistrationRecord current, DateOnly departedOn, Declarant declarant, string? reason, string recordedBy,
        DateTime now)
    {
        Status = RegistrationStatus.Ended;
        DepartedOn = departedOn;
        return Append(VersionKind.Departure, current.Copy(), declarant, reason, recordedBy, now);
    }

    /// <summary>Key of the one-open-stay index: division plus address with white space removed.</summary>
    public static string AddressKey(string divisionCode, string address) =>
        divisionCode + "|" + string.Concat(address.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();

    private void Apply(RegistrationRecord record, DateTime now)
    {
        PersonName = record.Name;
        PersonIdHmac = record.IdNumberHmac;
        PersonIdMasked = record.IdNumberMasked;
        ResidenceDivisionCode = record.ResidenceDivisionCode;
        ResidenceAddressKey = AddressKey(record.ResidenceDivisionCode, record.ResidenceAddress);
        ArrivedOn = record.ArrivedOn;
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
