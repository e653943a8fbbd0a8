using Sojourn.Application.Events;
using Sojourn.Data.Permits;

namespace Sojourn.Application.Permits;

/// <summary>
/// Keeps the e-permit in step with every permit step, from the step's domain event, in the unit of work's
/// transaction: a valid permit gets a fresh credential, a suspended one its suspended bit, and a permit that ends
/// (cancelled, void, expired, superseded, refused) its credential revoked. No step can forget to call it, so a
/// revoked permit never keeps a valid credential. Runs once per permit and save, on its latest step.
/// </summary>
internal sealed class EPermitCredentialHandler(EPermitService epermit) : IDomainEventHandler<PermitDomainEvent>
{
    public Task HandleAsync(PermitDomainEvent domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        return domainEvent.Number == domainEvent.Permit.Version
            ? epermit.SyncAsync(domainEvent.Permit, cancellationToken)
            : Task.CompletedTask;
    }
}
