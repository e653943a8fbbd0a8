using Sojourn.Data.Access;

namespace Sojourn.Application.Actors;

/// <summary>
/// Who is acting, as the use cases see it: the account, role, office and reach, and the purpose and address the
/// act was made with. Built once per scope from the signed-in account's claims (web), or set by a job or the CLI.
/// </summary>
public sealed record ActorIdentity(
    string AccountId,
    string UserName,
    string Role,
    string Office,
    ActorScope Scope,
    bool SecondFactor = false,
    string? Purpose = null,
    string? Ip = null)
{
    /// <summary>Trusted in-process code outside a request: start-up seeding, the sweep, the CLI.</summary>
    public static ActorIdentity System(string name = "system") =>
        new("", name, "system", "", ActorScope.System);

    /// <summary>Nobody signed in (a public page, the verification check).</summary>
    public static readonly ActorIdentity Anonymous = new("", "anonymous", "", "", ActorScope.Nobody);

    public bool IsAuthenticated => Scope.Reach is not ActorReach.None || AccountId.Length > 0;

    /// <summary>How a record names who acted: <c>role:userName</c> (e.g. <c>officer:demo-officer</c>), cut to the column.</summary>
    public string Label
    {
        get
        {
            var value = Role == "system" ? UserName : AccountId.Length == 0 && Role.Length == 0 ? "anonymous" : $"{Role}:{UserName}";
            return value.Length > Data.Validation.ColumnLengths.Actor ? value[..Data.Validation.ColumnLengths.Actor] : value;
        }
    }
}

/// <summary>Where the identity comes from when nobody set it: the web host reads the request's claims.</summary>
public interface IActorSource
{
    /// <summary>The identity of the current request, or null outside one.</summary>
    ActorIdentity? Current();
}

/// <summary>
/// The current actor of a scope (one per request, job run or CLI command), filled once: from <see cref="IActorSource"/>
/// on first use, or by <see cref="Set"/> before anything reads it. The data layer filters by its <see cref="Scope"/>.
/// </summary>
public sealed class CurrentActor(IActorSource? source = null) : ICurrentActor
{
    private ActorIdentity? _identity;

    public ActorIdentity Identity => _identity ??= source?.Current() ?? ActorIdentity.System();

    /// <summary>Sets who acts in this scope (a job, the CLI, a test); only before anything read it.</summary>
    public void Set(ActorIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (_identity is not null && !ReferenceEquals(_identity, identity))
        {
            throw new InvalidOperationException("The current actor is already fixed for this scope.");
        }

        _identity = identity;
    }

    public ActorScope Scope => Identity.Scope;
    public string AccountId => Identity.AccountId;
    public string Role => Identity.Role;
    public string Office => Identity.Office;
    public string Label => Identity.Label;
    public string? Purpose => Identity.Purpose;
    public bool IsOfficial => Roles.IsOfficial(Identity.Role);
}
