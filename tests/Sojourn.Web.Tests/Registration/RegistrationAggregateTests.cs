using Sojourn.Data.Domain;
using Sojourn.Data.Registrations;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Registration;

/// <summary>
/// The registration aggregate without a database: each step guards the status it starts from, appends one version
/// numbered as the registration's version, and raises its typed event (the side effects run from those at save).
/// </summary>
public sealed class RegistrationAggregateTests
{
    private static readonly DateTime Now = new(2026, 12, 5, 2, 0, 0, DateTimeKind.Utc);
    private static readonly DateOnly Today = new(2026, 12, 5);
    private static readonly Declarant Self = new("self", "张三", null);

    [Fact]
    public void Declare_ByThePerson_RaisesDeclaredWithTheFirstVersion_AndRecordsTheDay()
    {
        var (registration, version) = Data.Registrations.Registration.Declare(Guid.CreateVersion7(), Record(), Self, "migrant:zs", Now, Today);

        var declared = Assert.IsType<RegistrationDeclared>(Assert.Single(registration.DomainEvents));
        Assert.Same(version, declared.Version);
        Assert.Equal(1, version.Number);
        Assert.Equal(RegistrationStatus.Declared, registration.Status);
        Assert.Equal(Today, registration.RegisteredOn);
        Assert.True(declared.ChangesDutyFacts);
    }

    [Fact]
    public void Declare_ByAReporter_LeavesThePersonsDutyPending()
    {
        var (registration, _) = Data.Registrations.Registration.Declare(Guid.CreateVersion7(), Record(), new Declarant("reporter", "旅馆", "hotel"), "hotel:h1", Now);

        Assert.Null(registration.RegisteredOn);
    }

    [Fact]
    public void Confirm_ThenAmend_ThenDepart_EachAppendsAndRaises()
    {
        var (registration, declared) = Data.Registrations.Registration.Declare(Guid.CreateVersion7(), Record(), new Declarant("reporter", "旅馆", "hotel"), "hotel:h1", Now);
        registration.ClearDomainEvents();

        var confirmed = registration.Confirm(declared.Record, "140105000000", "坞城派出所", "DJ140105-2026-000001", new Declarant("officer", "李四", "民警"), "officer:ls", Now, Today);
        var changed = Record();
        changed.Workplace = "太原某公司";
        var amended = registration.Amend(VersionKind.Change, changed, Self, "换工作", "officer:ls", Now);
        var photo = registration.AttachPhoto(amended, Guid.CreateVersion7(), "officer:ls", Now);
        var ended = registration.Depart(photo.Record, Today, Self, "离开", "officer:ls", Now);

        Assert.Equal([2, 3, 4, 5], new[] { confirmed.Number, amended.Number, photo.Number, ended.Number });
        Assert.Equal(Today, registration.RegisteredOn);
        Assert.Collection(registration.DomainEvents,
            e => Assert.IsType<RegistrationConfirmed>(e),
            e => Assert.False(Assert.IsType<RegistrationAmended>(e).PersonChanged),
            e => Assert.False(Assert.IsType<RegistrationPhotoAttached>(e).ChangesDutyFacts),
            e => Assert.False(Assert.IsType<RegistrationEnded>(e).ChangesDutyFacts));
        Assert.Equal(RegistrationStatus.Ended, registration.Status);
        Assert.NotNull(photo.Record.PhotoId);
    }

    [Fact]
    public void Steps_FromAWrongState_AreRefusedByTheAggregate()
    {
        var (registration, declared) = Data.Registrations.Registration.Declare(Guid.CreateVersion7(), Record(), Self, "migrant:zs", Now, Today);
        registration.Depart(declared.Record, Today, Self, null, "migrant:zs", Now);
        registration.ClearDomainEvents();

        Assert.Throws<DomainRuleException>(() => registration.Confirm(declared.Record, "140105000000", "坞城派出所", "DJ140105-2026-000002", Self, "officer:ls", Now, Today));
        Assert.Throws<DomainRuleException>(() => registration.Amend(VersionKind.Correction, Record(), Self, "r", "officer:ls", Now));
        Assert.Throws<DomainRuleException>(() => registration.Depart(declared.Record, Today, Self, null, "officer:ls", Now));
        Assert.Throws<DomainRuleException>(() => registration.AttachPhoto(declared, Guid.CreateVersion7(), "officer:ls", Now));
        Assert.Empty(registration.DomainEvents);
        Assert.Equal(2, registration.Version);
    }

    [Fact]
    public void Confirm_Twice_AndAnAmendmentOfAnotherKind_AreRefused()
    {
        var (registration, declared) = Data.Registrations.Registration.Declare(Guid.CreateVersion7(), Record(), Self, "migrant:zs", Now, Today);
        registration.Confirm(declared.Record, "140105000000", "坞城派出所", "DJ140105-2026-000001", Self, "officer:ls", Now, Today);

        Assert.Throws<DomainRuleException>(() => registration.Confirm(declared.Record, "140105000000", "坞城派出所", "DJ140105-2026-000002", Self, "officer:ls", Now, Today));
        Assert.Throws<DomainRuleException>(() => registration.Amend(VersionKind.Departure, Record(), Self, "r", "officer:ls", Now));
        Assert.True(registration.IsOpenFor(RegistrationStep.Amend));
        Assert.False(registration.IsOpenFor(RegistrationStep.Confirm));
    }

    [Fact]
    public void Amend_CorrectingTheIdentityNumber_NamesThePersonBefore()
    {
        var (registration, _) = Data.Registrations.Registration.Declare(Guid.CreateVersion7(), Record(), Self, "migrant:zs", Now, Today);
        var corrected = Record();
        corrected.IdNumberHmac = "other-hmac";

        registration.Amend(VersionKind.Correction, corrected, Self, "身份证号录错", "officer:ls", Now);

        var amended = Assert.IsType<RegistrationAmended>(registration.DomainEvents[^1]);
        Assert.Equal("hmac", amended.PersonIdHmacBefore);
        Assert.True(amended.PersonChanged);
    }

    private static RegistrationRecord Record() => TestData.Record("cipher", "hmac");
}
