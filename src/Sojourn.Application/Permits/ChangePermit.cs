using Microsoft.EntityFrameworkCore;
using Sojourn.Application.Actors;
using Sojourn.Application.Errors;
using Sojourn.Application.PersonalData;
using Sojourn.Application.Registrations;
using Sojourn.Data.Permits;
using Sojourn.Data.Registrations;
using Sojourn.Rules.Divisions;

namespace Sojourn.Application.Permits;

/// <param name="ChangedOn">The day the address or workplace changed (the reporting period runs from it).</param>
/// <param name="RegistrationId">A move into another station's area: the new, confirmed registration of the holder.</param>
internal sealed record ChangePermitCommand(
    Guid PermitId, int? ExpectedVersion, DateOnly? ChangedOn, string? ResidenceAddress, string? Workplace, Guid? RegistrationId, string? Reason);

/// <summary>
/// 变更: a new residence address or workplace within the city (山西2017 第十八条第一款: within 10 days). A late
/// report is accepted and the history records it as late, with the duty's due day and article. A move into
/// another station's area names the new confirmed registration; where the policy says so (山西2013 第十九条)
/// the old registration must be ended first. The permit then rests on the new registration and station, so
/// the new station's jurisdiction follows it; the issuing authority (status list, card) stays.
/// </summary>
internal sealed class ChangePermitUseCase(PermitStore store, PersonalDataLedger ledger)
{
    /// <summary>The duty id of a change of address or workplace in the policies (<c>duties:</c>).</summary>
    public const string ReportChangeDuty = "person.report-change";

    private const int MaxText = 200;

    public async Task<Outcome<PermitDto>> HandleAsync(ChangePermitCommand command, CurrentActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        var loaded = await store.LoadForUpdateAsync(command.PermitId, command.ExpectedVersion, cancellationToken);
        if (!loaded.TryGetValue(out var permit, out var failure))
        {
            return failure;
        }

        var address = string.IsNullOrWhiteSpace(command.ResidenceAddress) ? null : command.ResidenceAddress.Trim();
        var workplace = string.IsNullOrWhiteSpace(command.Workplace) ? null : command.Workplace.Trim();
        if (address is null && workplace is null && command.RegistrationId is null)
        {
            return PermitFailures.Invalid("residenceAddress", "Permit_Change_Nothing");
        }

        if (address is { Length: > MaxText } || workplace is { Length: > MaxText })
        {
            return PermitFailures.Invalid(address is { Length: > MaxText } ? "residenceAddress" : "workplace", "Permit_FieldTooLong", MaxText);
        }

        var today = store.Clock.Today;
        if (command.ChangedOn is not { } changedOn)
        {
            return PermitFailures.Invalid("changedOn", "Permit_FieldRequired", "changedOn");
        }

        if (changedOn > today)
        {
            return PermitFailures.Invalid("changedOn", "Permit_DayInFuture", "changedOn");
        }

        if (!permit.IsOpen("change"))
        {
            return PermitFailures.WrongStatus(permit, "change");
        }

        var before = new
        {
            registrationId = permit.RegistrationId,
            residenceDivision = permit.ResidenceDivisionCode,
            residenceAddress = permit.ResidenceAddress,
            workplace = permit.Workplace,
            stationCode = permit.StationCode,
            stationName = permit.StationName,
        };
        var crossStation = false;
        PermitResidence? movedTo = null;
        string? moveBasis = null;
        if (command.RegistrationId is { } registrationId && registrationId != permit.RegistrationId)
        {
            // The new registration must be the holder's own, confirmed by its station, and within the caller's reach.
            var registration = await store.Db.Registrations.FirstOrDefaultAsync(r => r.Id == registrationId, cancellationToken);
            if (registration is null)
            {
                return RegistrationFailures.NotFound();
            }

            if (registration.PersonIdHmac != permit.PersonIdHmac)
            {
                return PermitFailures.Invalid("registrationId", "Permit_Change_OtherPerson");
            }

            if (registration.Status != RegistrationStatus.Confirmed || registration.StationCode is null)
            {
                return Failure.Of(ErrorCode.PermitRegistrationNotConfirmed, "Error_PermitRegistrationNotConfirmed_Detail");
            }

            // Within the city only (住址在居住地市、县范围内变更); leaving the city is a cancellation and a new application.
            if (!DivisionTable.Default.SamePrefecture(registration.ResidenceDivisionCode, permit.AuthorityCode))
            {
                return PermitFailures.Problem(ErrorCode.PermitMoveOutsideCity, "Error_PermitMoveOutsideCity_Detail", registration.ResidenceDivisionCode);
            }

            var moveTerms = store.TermsFor(registration.ResidenceDivisionCode, changedOn);
            if (moveTerms is null)
            {
                return PermitFailures.NoPolicy(registration.ResidenceDivisionCode);
            }

            crossStation = registration.StationCode != permit.StationCode;
            if (crossStation)
            {
                moveBasis = moveTerms.CrossStationClosesOldRegistration.Basis;
                if (moveTerms.CrossStationClosesOldRegistration.Value)
                {
                    // The old stay may lie outside the caller's jurisdiction: only its status is read.
                    var oldStatus = await store.Db.Registrations.IgnoreQueryFilters().Where(r => r.Id == permit.RegistrationId)
                        .Select(r => r.Status).FirstOrDefaultAsync(cancellationToken);
                    if (oldStatus != RegistrationStatus.Ended)
                    {
                        return PermitFailures.Problem(ErrorCode.PermitOldRegistrationOpen, "Error_PermitOldRegistrationOpen_Detail",
                            permit.StationName, moveBasis);
                    }
                }
            }

            var record = (await store.Db.RegistrationVersions.AsNoTracking().Where(v => v.RegistrationId == registrationId)
                .OrderByDescending(v => v.Number).FirstAsync(cancellationToken)).Record;
            movedTo = new PermitResidence(registration.Id, registration.ResidenceDivisionCode, registration.StationCode,
                registration.StationName, record.ResidenceAddress, record.Workplace);
        }

        var division = movedTo?.DivisionCode ?? permit.ResidenceDivisionCode;
        var terms = store.TermsFor(division, changedOn);
        if (terms is null)
        {
            return PermitFailures.NoPolicy(division);
        }

        // The duty to report the change (person.report-change): accepted when late, and recorded as late.
        DateOnly? due = terms.ChangeWithin is { } within ? store.Lifecycle.Due(within, division, changedOn) : null;
        var late = due is { } d && today > d;
        // The details name the residence after the change: built once the change is made.
        object Details() => new
        {
            duty = ReportChangeDuty,
            changedOn,
            due,
            dueBasis = terms.ChangeWithin?.Basis,
            late,
            crossStation,
            before,
            after = new
            {
                registrationId = permit.RegistrationId,
                residenceDivision = permit.ResidenceDivisionCode,
                residenceAddress = permit.ResidenceAddress,
                workplace = permit.Workplace,
                stationCode = permit.StationCode,
                stationName = permit.StationName,
            },
        };
        permit.Change(movedTo, address, workplace, () => store.Step(changedOn, PermitCitations.Basis(terms.ChangeWithin?.Basis, moveBasis) ?? terms.PolicyId,
            terms, Details(), command.Reason?.Trim()));
        if (await store.SaveAsync(permit.Id, null, cancellationToken) is { } saved)
        {
            return saved;
        }

        ledger.Wrote(PermitMapper.Person(permit), ["residenceAddress", "workplace", "registration"]);
        return PermitMapper.ToDto(permit);
    }
}
