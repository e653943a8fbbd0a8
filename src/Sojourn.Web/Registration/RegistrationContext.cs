using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Sojourn.Application.Actors;
using Sojourn.Application.PersonalData;
using Sojourn.Data;
using Sojourn.Data.Registrations;
using Sojourn.Data.Security;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Registration;

/// <summary>
/// What in-process callers of the registration module outside its endpoints need (the documents, the permit steps,
/// the seeders): the database, the clock, the identity protector and the use cases on this clock.
/// </summary>
public sealed class RegistrationContext(
    SojournDbContext db,
    ChinaClock clock,
    IdentityProtector protector,
    IdentityDisclosure disclosure,
    IRegistrationViews views,
    IOptions<RegistrationOptions> options,
    Sojourn.Application.Events.UnitOfWork unitOfWork)
{
    public SojournDbContext Db => db;
    public ChinaClock Clock => clock;
    public IdentityProtector Protector => protector;
    public IdentityDisclosure Disclosure => disclosure;

    /// <summary>The use cases on this context's database and clock (a seeder's day), declaring into a ledger of their own.</summary>
    public RegistrationUseCases UseCases() =>
        new(db, new RecordValidator(protector, clock), clock, protector, views, new PersonalDataLedger(), options, unitOfWork);

    /// <summary>Trusted in-process code acting under <paramref name="label"/> (e.g. <c>seed</c>).</summary>
    public static CurrentActor SystemActor(string label)
    {
        var actor = new CurrentActor();
        actor.Set(ActorIdentity.System(label));
        return actor;
    }

    public async Task<(Data.Registrations.Registration Registration, RegistrationVersion Current)?> LoadAsync(
        Guid id, CancellationToken cancellationToken) =>
        await UseCases().LoadAsync(id, tracked: true, cancellationToken);

    public static ProblemHttpResult NotFound() => ApiProblems.Result(RegistrationFailures.NotFound());
}
