using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Data;
using Sojourn.Data.Access;
using Sojourn.Data.Audit;
using Sojourn.Data.Registrations;
using Sojourn.Data.Security;
using Sojourn.Domain;

namespace Sojourn.Application.Registrations;

/// <summary>
/// The residence registration use cases (山西2017 第九条–第十二条), callable from an endpoint, a page, a job or the CLI:
/// each takes a command and the current actor and returns the answer or a typed failure. Each declares in the
/// <see cref="PersonalDataLedger"/> whose data it read or wrote (the person, by lookup hash) and which fields; the
/// answers are built through the actor's field view. The decisions themselves are <see cref="RegistrationRules"/>.
/// </summary>
public sealed class RegistrationUseCases(
    SojournDbContext db,
    RecordValidator validator,
    Sojourn.Application.Time.ILegalClock clock,
    IdentityProtector protector,
    IRegistrationViews views,
    PersonalDataLedger ledger,
    IOptions<RegistrationOptions> options,
    Events.UnitOfWork unitOfWork)
{
    private static readonly byte[] JpegMagic = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] PngMagic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public Sojourn.Application.Time.ILegalClock Clock => clock;

    public RegistrationOptions Options => options.Value;

    public async Task<Outcome<Recorded>> DeclareAsync(DeclareRegistrationCommand command, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var request = command.Request;
        var errors = new FieldErrors();
        var employers = await EmployerLookup.KindsAsync(db, request.EmployerCode, cancellationToken);
        var record = validator.Validate(request, "", errors, photoId: null, employers);
        var declarant = ResolveDeclarant(request.Declarant, request.Name?.Trim() ?? "", "declarant.", errors);
        if (record is null || errors.Any)
        {
            return errors.ToFailure();
        }

        if (RegistrationRules.MayDeclareFor(actor.Scope, record.IdNumberHmac, record.ResidenceDivisionCode) is { } refused)
        {
            return refused;
        }

        // No look-up of an open stay first: the open-stay unique index refuses it in the insert itself, and SaveAsync
        // then names the stay the caller may see (the same 409 as a look-up would give), one round trip less per call.
        // The person's own declaration (申报) meets their duty; a reporter's report does not (it stays pending for them).
        // The version row and the duty follow from the event when the unit of work saves.
        var (registration, version) = Registration.Declare(Guid.CreateVersion7(), record, declarant, actor.Label, clock.UtcNow,
            actor.Scope.Reach != ActorReach.Reporter ? clock.Today : null);
        db.Registrations.Add(registration);
        // The declaring account: a reporter's reach is the people they reported.
        db.Entry(registration).Property(SojournDbContext.DeclaredByProperty).CurrentValue = actor.AccountId.Length == 0 ? null : actor.AccountId;
        if (await SaveAsync(registration, null, cancellationToken) is { } failure)
        {
            // A reporter (landlord, employer) must not learn of a stay someone else declared: the person is already
            // registered at this address, so the report is fulfilled; nothing is written and nothing is named.
            return ReportCovered(actor, failure) ? new Recorded(null) : failure;
        }

        ledger.Wrote(Person(registration), [.. RegistrationRules.GivenFields(request), .. request.Declarant is null ? Array.Empty<string>() : ["declarant"]]);
        return new Recorded(Projection(actor).Registration(registration, version));
    }

    public async Task<Outcome<RegistrationDto>> ConfirmAsync(ConfirmRegistrationCommand command, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var loaded = await LoadForUpdateAsync(command.Id, command.ExpectedVersion, cancellationToken);
        if (!loaded.TryGetValue(out var l, out var notAllowed))
        {
            return notAllowed;
        }

        var (registration, current) = l;
        var errors = new FieldErrors();
        var stationCode = command.StationCode?.Trim();
        var stationName = command.StationName?.Trim();
        var officer = command.OfficerName?.Trim();
        if (RegistrationRules.CheckConfirm(registration.Status, registration.ResidenceDivisionCode, stationCode, stationName, officer, errors) is { } refused)
        {
            return refused;
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        RegistrationVersion? version = null;
        var failure = await SaveAsync(registration, async () =>
        {
            var number = await CertificateNumbers.NextAsync(db, registration.ResidenceDivisionCode, clock.Today.Year, cancellationToken);
            // The station completes a reported stay's registration (the person appears before it) today.
            version = registration.Confirm(current.Record, stationCode!, stationName!, number,
                new Declarant("officer", officer!, "民警"), actor.Label, clock.UtcNow, clock.Today);
        }, cancellationToken);
        if (failure is not null)
        {
            return failure;
        }

        ledger.Wrote(Person(registration), ["stationCode", "stationName", "officerName"]);
        return Projection(actor).Registration(registration, version!);
    }

    /// <summary>
    /// 更正 and 变更 (第十二条) share one flow: overlay the given fields on the current record, check the whole result as
    /// on declaration, and append a version.
    /// </summary>
    public async Task<Outcome<Recorded>> AmendAsync(AmendRegistrationCommand command, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var loaded = await LoadForUpdateAsync(command.Id, command.ExpectedVersion, cancellationToken);
        if (!loaded.TryGetValue(out var l, out var notAllowed))
        {
            return notAllowed;
        }

        var (registration, current) = l;
        if (command.Changes is null)
        {
            return Failure.Validation("changes", Messages.Get("Amend_NoChanges"));
        }

        var errors = new FieldErrors();
        var currentInput = validator.ToInput(current.Record);
        var reason = command.Reason?.Trim();
        RegistrationRules.CheckAmend(command.Kind, registration.Status, currentInput, command.Changes, reason, errors);
        var merged = RecordValidator.Overlay(currentInput, command.Changes);
        var employers = await EmployerLookup.KindsAsync(db, merged.EmployerCode, cancellationToken);
        var record = validator.Validate(merged, "changes.", errors, current.Record.PhotoId, employers);
        var declarant = ResolveDeclarant(command.Declarant, merged.Name ?? "", "declarant.", errors);
        if (record is null || errors.Any)
        {
            return errors.ToFailure();
        }

        var addressKey = Registration.AddressKey(record.ResidenceDivisionCode, record.ResidenceAddress);
        if (await FindOtherOpenStayAsync(record.IdNumberHmac, addressKey, registration.Id, cancellationToken) is { } existing)
        {
            return RegistrationFailures.OpenStayExists(existing);
        }

        // The person before the amendment: a corrected identity number moves the record to another person.
        var before = Person(registration);
        // The person's own amendment is their declaration; the duty is evaluated again from the event at save (the facts
        // the deadline reads may have changed).
        var version = registration.Amend(command.Kind, record, declarant, reason, actor.Label, clock.UtcNow,
            actor.Scope.Reach == ActorReach.Person ? clock.Today : null);
        if (await SaveAsync(registration, null, cancellationToken) is { } failure)
        {
            // As on declaration: a reporter moving their own report to an address where someone else registered the
            // person learns nothing of that registration (no 409, no id); nothing is written, the report is covered.
            return ReportCovered(actor, failure) ? new Recorded(null) : failure;
        }

        var fields = RegistrationRules.GivenFields(command.Changes, "changes.").Prepend("reason").ToList();
        if (command.Declarant is not null)
        {
            fields.Add("declarant");
        }

        var after = Person(registration);
        ledger.Wrote(after, fields);
        if (before.PersonIdHmac != after.PersonIdHmac)
        {
            ledger.Wrote(before, fields);
        }

        return new Recorded(Projection(actor).Registration(registration, version));
    }

    public async Task<Outcome<RegistrationDto>> EndAsync(EndRegistrationCommand command, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var loaded = await LoadForUpdateAsync(command.Id, command.ExpectedVersion, cancellationToken);
        if (!loaded.TryGetValue(out var l, out var notAllowed))
        {
            return notAllowed;
        }

        var (registration, current) = l;
        var errors = new FieldErrors();
        RegistrationRules.CheckDeparture(command.DepartedOn, clock.Today, current.Record.ArrivedOn, command.Reason, errors);
        var declarant = ResolveDeclarant(command.Declarant, current.Record.Name, "declarant.", errors);
        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var version = registration.Depart(current.Record, command.DepartedOn!.Value, declarant, command.Reason?.Trim(), actor.Label, clock.UtcNow);
        if (await SaveAsync(registration, null, cancellationToken) is { } failure)
        {
            return failure;
        }

        ledger.Wrote(Person(registration), command.Declarant is null ? ["departedOn", "reason"] : ["departedOn", "reason", "declarant"]);
        return Projection(actor).Registration(registration, version);
    }

    /// <summary>近期照片: checked by its magic bytes and its size (Sojourn:Registration:PhotoMaxBytes); an upload appends a version.</summary>
    public async Task<Outcome<PhotoDto>> UploadPhotoAsync(UploadRegistrationPhotoCommand command, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        if (command.MediaType is not ("image/jpeg" or "image/png" or "application/octet-stream"))
        {
            return new Failure(ErrorCode.UnsupportedMediaType, Messages.Get("Photo_MediaType"));
        }

        var loaded = await LoadForUpdateAsync(command.Id, command.ExpectedVersion, cancellationToken);
        if (!loaded.TryGetValue(out var l, out var notAllowed))
        {
            return notAllowed;
        }

        var content = command.Content;
        var max = options.Value.PhotoMaxBytes;
        if (content.Length > max)
        {
            return Failure.Validation("photo", Messages.Format("Photo_TooLarge", max / 1024));
        }

        var detected = content.AsSpan().StartsWith(JpegMagic) ? "image/jpeg"
            : content.AsSpan().StartsWith(PngMagic) ? "image/png"
            : null;
        if (detected is null || content.Length < 64)
        {
            return Failure.Validation("photo", Messages.Get("Photo_NotImage"));
        }

        var (registration, current) = l;
        var photo = new RegistrationPhoto
        {
            Id = Guid.CreateVersion7(),
            RegistrationId = registration.Id,
            ResidenceDivisionCode = registration.ResidenceDivisionCode,
            ContentType = detected,
            Content = content,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
            UploadedAt = clock.UtcNow,
        };
        db.RegistrationPhotos.Add(photo);
        registration.AttachPhoto(current, photo.Id, actor.Label, clock.UtcNow);
        if (await SaveAsync(registration, null, cancellationToken) is { } failure)
        {
            return failure;
        }

        ledger.Wrote(Person(registration), ["photo"]);
        return new PhotoDto(photo.Id, photo.ContentType, content.Length, photo.Sha256, registration.Version);
    }

    public async Task<Outcome<RegistrationDto>> GetAsync(GetRegistrationQuery query, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(actor);
        if (await LoadAsync(query.Id, tracked: false, cancellationToken) is not { } l)
        {
            return RegistrationFailures.NotFound();
        }

        var projection = Projection(actor);
        ledger.Read(Person(l.Registration), projection.View.Disclosed);
        return projection.Registration(l.Registration, l.Current);
    }

    public async Task<Outcome<IReadOnlyList<VersionDto>>> HistoryAsync(RegistrationHistoryQuery query, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(actor);
        var versions = await db.RegistrationVersions.AsNoTracking()
            .Where(v => v.RegistrationId == query.Id)
            .OrderBy(v => v.Number)
            .ToListAsync(cancellationToken);
        if (versions.Count == 0)
        {
            return RegistrationFailures.NotFound();
        }

        var projection = Projection(actor);
        var latest = versions[^1].Record;
        var fields = projection.View.Disclosed;
        ledger.Read(new PersonRef(latest.IdNumberHmac, latest.ResidenceDivisionCode, query.Id), fields);
        // A corrected identity number: the earlier versions are the data of the person they named.
        foreach (var earlier in versions.Select(v => v.Record).Where(r => r.IdNumberHmac != latest.IdNumberHmac).DistinctBy(r => r.IdNumberHmac))
        {
            ledger.Read(new PersonRef(earlier.IdNumberHmac, earlier.ResidenceDivisionCode, query.Id), fields);
        }

        return Outcome.Success<IReadOnlyList<VersionDto>>([.. versions.Select(projection.Version)]);
    }

    public async Task<Outcome<PhotoContent>> GetPhotoAsync(RegistrationPhotoQuery query, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(actor);
        if (await LoadAsync(query.Id, tracked: false, cancellationToken) is not { } l)
        {
            return RegistrationFailures.NotFound();
        }

        var photoId = l.Current.Record.PhotoId;
        var photo = photoId is null
            ? null
            : await db.RegistrationPhotos.AsNoTracking().FirstOrDefaultAsync(p => p.Id == photoId, cancellationToken);
        if (photo is null)
        {
            return RegistrationFailures.PhotoNotFound();
        }

        ledger.Read(Person(l.Registration), ["photo"]);
        return new PhotoContent(photo.Content, photo.ContentType);
    }

    /// <summary>
    /// Registrations of a jurisdiction, newest first: by residence division prefix (14 province, 1401 city, 140105
    /// county), station and status; paginated with the total. Served by the division and station indexes.
    /// </summary>
    public async Task<Outcome<PageDto<RegistrationSummaryDto>>> ListAsync(ListRegistrationsQuery query, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(actor);
        var size = query.PageSize ?? options.Value.DefaultPageSize;
        var number = query.Page ?? 1;
        var errors = new FieldErrors();
        RegistrationRules.CheckListQuery(query.Division, query.Status, number, size, options.Value.MaxPageSize, errors);
        if (query.DutyStatus is { } dutyStatus && !Rules.Compliance.DutyStatuses.All.Contains(dutyStatus))
        {
            errors.Add("dutyStatus", "Field_OneOf", "dutyStatus", string.Join(", ", Rules.Compliance.DutyStatuses.All));
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        var rows = db.Registrations.AsNoTracking();
        if (query.Division is { } division)
        {
            rows = division.Length == 6
                ? rows.Where(r => r.ResidenceDivisionCode == division)
                : rows.Where(r => r.ResidenceDivisionCode.StartsWith(division));
        }

        if (!string.IsNullOrWhiteSpace(query.Station))
        {
            rows = rows.Where(r => r.StationCode == query.Station);
        }

        if (query.Status is { } status)
        {
            rows = rows.Where(r => r.Status == status);
        }

        if (query.DutyStatus is { } duty)
        {
            // Today's status: a stored open past its due day is overdue (and no longer open).
            var today = clock.Today;
            rows = duty switch
            {
                Rules.Compliance.DutyStatuses.Overdue => rows.Where(r => r.RegistrationDutyStatus == duty
                    || (r.RegistrationDutyStatus == Rules.Compliance.DutyStatuses.Open && r.RegistrationDue < today)),
                Rules.Compliance.DutyStatuses.Open => rows.Where(r => r.RegistrationDutyStatus == duty && !(r.RegistrationDue < today)),
                _ => rows.Where(r => r.RegistrationDutyStatus == duty),
            };
        }

        var total = await rows.CountAsync(cancellationToken);
        var ordered = query.Order == ListRegistrationsQuery.ByArrival
            ? rows.OrderBy(r => r.ArrivedOn).ThenBy(r => r.Id)
            : rows.OrderByDescending(r => r.DeclaredAt).ThenBy(r => r.Id);
        var page = ordered
            .Skip(RegistrationRules.Skip(number, size)).Take(size);
        var (items, persons) = await SummariesAsync(page, actor, cancellationToken);
        DeclareAll(DataAction.List, persons, actor);
        return new PageDto<RegistrationSummaryDto>(items, number, size, total);
    }

    /// <summary>
    /// Every stay of one person, by the keyed SM3 hash of the identity number (exact match, no decryption). The search
    /// is a read of that person whatever it finds: a miss is recorded under the hash, never the number.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<RegistrationSummaryDto>>> SearchAsync(SearchRegistrationsQuery query, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(actor);
        if (!CitizenId.TryParse(query.IdNumber, clock.Today, out var id, out var error))
        {
            return Failure.Validation("idNumber", RecordValidator.DescribeIdError(error));
        }

        var hash = protector.LookupHash(id.Value);
        ledger.Searched(hash);
        var (items, persons) = await SummariesAsync(
            db.Registrations.AsNoTracking().Where(r => r.PersonIdHmac == hash).OrderByDescending(r => r.DeclaredAt), actor, cancellationToken);
        DeclareAll(DataAction.Search, persons, actor);
        return Outcome.Success<IReadOnlyList<RegistrationSummaryDto>>(items);
    }

    /// <summary>
    /// Stays by the person's name (以名找人), for an officer who has no identity number. Names are stored in the
    /// registration row in clear (only the identity number is encrypted), so this is a prefix match in the database
    /// under the same jurisdiction filter as every read, never a decryption of the table; one page at a time, ordered
    /// by name. Every person on the page is declared as searched; identity numbers come masked through the field view.
    /// </summary>
    public async Task<Outcome<PageDto<RegistrationSummaryDto>>> SearchByNameAsync(
        SearchRegistrationsByNameQuery query, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(actor);
        var size = query.PageSize ?? options.Value.DefaultPageSize;
        var number = query.Page ?? 1;
        var errors = new FieldErrors();
        RegistrationRules.CheckListQuery(null, null, number, size, options.Value.MaxPageSize, errors);
        var name = query.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add("name", "Field_Required", Messages.Get("Label_Name"));
        }
        else if (name.Length > SearchRegistrationsByNameQuery.MaxLength)
        {
            errors.Add("name", "Field_TooLong", Messages.Get("Label_Name"), SearchRegistrationsByNameQuery.MaxLength);
        }
        else if (name.Length < SearchRegistrationsByNameQuery.MinLength || name.Any(char.IsControl))
        {
            errors.Add("name", "Search_NameTooShort", SearchRegistrationsByNameQuery.MinLength);
        }

        if (errors.Any)
        {
            return errors.ToFailure();
        }

        // StartsWith becomes LIKE 'name%' with % and _ in the name escaped (both providers): a wildcard finds nothing extra.
        var rows = db.Registrations.AsNoTracking().Where(r => r.PersonName.StartsWith(name));
        var total = await rows.CountAsync(cancellationToken);
        var page = rows.OrderBy(r => r.PersonName).ThenByDescending(r => r.ArrivedOn).ThenBy(r => r.Id)
            .Skip(RegistrationRules.Skip(number, size)).Take(size);
        var (items, persons) = await SummariesAsync(page, actor, cancellationToken);
        DeclareAll(DataAction.Search, persons, actor);
        return new PageDto<RegistrationSummaryDto>(items, number, size, total);
    }

    /// <summary>
    /// Every stay of the person of one registration the actor may see (以人找房: where a person has lived, with dates),
    /// newest first, through the actor's field view and reach; each is declared as read. The person is named by the
    /// registration, never by an identity number in the address.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<RegistrationSummaryDto>>> StaysOfPersonAsync(PersonOfRegistrationQuery query, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(actor);
        var hash = await db.Registrations.AsNoTracking().Where(r => r.Id == query.RegistrationId).Select(r => r.PersonIdHmac).FirstOrDefaultAsync(cancellationToken);
        if (hash is null)
        {
            return RegistrationFailures.NotFound();
        }

        var (items, persons) = await SummariesAsync(
            db.Registrations.AsNoTracking().Where(r => r.PersonIdHmac == hash).OrderByDescending(r => r.DeclaredAt), actor, cancellationToken);
        DeclareAll(DataAction.Read, persons, actor);
        return Outcome.Success<IReadOnlyList<RegistrationSummaryDto>>(items);
    }

    /// <summary>The projection of the actor's field view (trusted in-process code sees every field, masked).</summary>
    public RegistrationProjection Projection(CurrentActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var view = actor.Role == "system" ? RegistrationView.Everything : views.ViewOf(actor.Role);
        return new RegistrationProjection(view, protector, actor.IsOfficial, clock.Today);
    }

    /// <summary>The registration and its current version (the query filters apply: null when the caller may not see it).</summary>
    public async Task<(Registration Registration, RegistrationVersion Current)?> LoadAsync(Guid id, bool tracked, CancellationToken cancellationToken)
    {
        if (!tracked)
        {
            // A read: the registration and its current version in one round trip. The version is joined to the
            // registration, whose own filter decides the caller's reach, so the version's filter (the same check again
            // through a subquery) is left out.
            var found = await (
                    from r in db.Registrations.AsNoTracking()
                    where r.Id == id
                    join v in db.RegistrationVersions.AsNoTracking() on new { Id = r.Id, Number = r.Version } equals new { Id = v.RegistrationId, v.Number }
                    select new { Registration = r, Current = v })
                .IgnoreQueryFilters([SojournDbContext.VersionThroughRegistration])
                .FirstOrDefaultAsync(cancellationToken);
            return found is null ? null : (found.Registration, found.Current);
        }

        var registration = await db.Registrations.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (registration is null)
        {
            return null;
        }

        var current = await db.RegistrationVersions.AsNoTracking()
            .FirstAsync(v => v.RegistrationId == id && v.Number == registration.Version, cancellationToken);
        return (registration, current);
    }

    private static PersonRef Person(Registration registration) =>
        new(registration.PersonIdHmac, registration.ResidenceDivisionCode, registration.Id);

    private void DeclareAll(DataAction action, IEnumerable<PersonRef> persons, CurrentActor actor)
    {
        var fields = Projection(actor).View.Disclosed;
        foreach (var person in persons)
        {
            ledger.Declare(action, person, fields);
        }
    }

    /// <summary>Summaries through the view's projection, and whose they are (for the ledger), in one query.</summary>
    private async Task<(List<RegistrationSummaryDto> Items, List<PersonRef> Persons)> SummariesAsync(
        IQueryable<Registration> rows, CurrentActor actor, CancellationToken cancellationToken)
    {
        var projection = Projection(actor);
        var showName = projection.View.Shows("name");
        var showId = projection.View.Shows("idNumber");
        var today = clock.Today;
        var found = await rows
            .Select(r => new
            {
                Summary = new RegistrationSummaryDto(
                    r.Id, r.Status, r.Version, showName ? r.PersonName : null, showId ? r.PersonIdMasked : null, r.ResidenceDivisionCode,
                    r.StationCode, r.CertificateNumber, r.ArrivedOn, r.DepartedOn, r.DeclaredAt, r.RegistrationDue,
                    r.RegistrationDutyStatus == Rules.Compliance.DutyStatuses.Open && r.RegistrationDue < today
                        ? Rules.Compliance.DutyStatuses.Overdue : r.RegistrationDutyStatus),
                r.PersonIdHmac,
            })
            .ToListAsync(cancellationToken);
        return ([.. found.Select(f => f.Summary)],
            [.. found.Select(f => new PersonRef(f.PersonIdHmac, f.Summary.ResidenceDivision, f.Summary.Id))]);
    }

    /// <summary>The checks every update makes before touching anything: a version named, found, not stale, still open.</summary>
    private async Task<Outcome<(Registration Registration, RegistrationVersion Current)>> LoadForUpdateAsync(
        Guid id, int? expectedVersion, CancellationToken cancellationToken)
    {
        if (RegistrationRules.RequireVersion(expectedVersion) is { } noVersion)
        {
            return noVersion;
        }

        if (await LoadAsync(id, tracked: true, cancellationToken) is not { } loaded)
        {
            return RegistrationFailures.NotFound();
        }

        return RegistrationRules.MayUpdate(expectedVersion!.Value, loaded.Registration.Version, loaded.Registration.Status) is { } refused
            ? refused
            : loaded;
    }

    /// <summary>
    /// Saves through the unit of work in one transaction (joining the audit step's): the events the registration raised
    /// append its version and evaluate its duty first. A lost race is a failure and nothing is written.
    /// </summary>
    private async Task<Failure?> SaveAsync(Registration registration, Func<Task>? beforeSave, CancellationToken cancellationToken)
    {
        if (await unitOfWork.SaveAsync(beforeSave, cancellationToken) is { } e)
        {
            if (e is not DbUpdateConcurrencyException && DbErrors.IsOpenStayViolation(e))
            {
                // Lost a race to an open stay: name it if the caller may see it (e.g. their own retried declaration).
                return RegistrationFailures.OpenStayExists(
                    await FindOtherOpenStayAsync(registration.PersonIdHmac, registration.ResidenceAddressKey, registration.Id, cancellationToken));
            }

            // A stale token, or another writer appended the same version number first: a lost race.
            var latest = await db.Registrations.AsNoTracking().Where(r => r.Id == registration.Id)
                .Select(r => r.Version).FirstOrDefaultAsync(cancellationToken);
            return RegistrationFailures.Stale(latest);
        }

        return null;
    }

    /// <summary>True when a reporter lost to an open stay they cannot see (a 409 without <c>existingId</c>).</summary>
    private static bool ReportCovered(CurrentActor actor, Failure failure) =>
        actor.Scope.Reach == ActorReach.Reporter && failure.Code == ErrorCode.OpenStayExists
        && failure.Extensions?.ContainsKey("existingId") != true;

    /// <summary>
    /// The open stay of the person at the address that the caller may see (the query filters apply): its id, or null.
    /// A stay the caller cannot see is left to the unique index.
    /// </summary>
    private async Task<Guid?> FindOtherOpenStayAsync(string idHmac, string addressKey, Guid? except, CancellationToken cancellationToken) =>
        await db.Registrations.AsNoTracking()
            .Where(r => r.PersonIdHmac == idHmac && r.ResidenceAddressKey == addressKey
                        && r.Status != RegistrationStatus.Ended && r.Id != except)
            .Select(r => (Guid?)r.Id)
            .FirstOrDefaultAsync(cancellationToken);

    private static Declarant ResolveDeclarant(DeclarantInput? input, string personName, string prefix, FieldErrors errors)
    {
        if (input is null)
        {
            return new Declarant("self", personName, null);
        }

        var channel = input.Channel ?? "self";
        if (!ReferenceData.Channels.Contains(channel))
        {
            errors.Add(prefix + "channel", "Field_OneOf", Messages.Get("Label_Channel"), string.Join(", ", ReferenceData.Channels));
        }

        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            if (channel != "self")
            {
                errors.Add(prefix + "name", "Field_Required", Messages.Get("Label_DeclarantName"));
            }

            name = personName;
        }

        // Too long is an error, never a silent cut (the column's length, one source).
        if (name.Length > Data.Validation.ColumnLengths.DeclarantName)
        {
            errors.Add(prefix + "name", "Field_TooLong", Messages.Get("Label_DeclarantName"), Data.Validation.ColumnLengths.DeclarantName);
        }

        var role = input.Role?.Trim();
        if (role is { Length: > Data.Validation.ColumnLengths.DeclarantName })
        {
            errors.Add(prefix + "role", "Field_TooLong", Messages.Get("Label_DeclarantName"), Data.Validation.ColumnLengths.DeclarantName);
        }

        return new Declarant(channel, name, role);
    }
}
