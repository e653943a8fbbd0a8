using Sojourn.Data.Permits;

namespace Sojourn.Web.Permits;

/// <summary>
/// Called by every permit step after it changed the permit and before it saves (same DbContext and
/// transaction): the e-permit keeps the credential and the authority's status list in step with the
/// permit's status (Permits/EPermit/EPermitService).
/// </summary>
public interface IPermitChangeHook
{
    Task OnChangedAsync(Permit permit, CancellationToken ct);
}

/// <summary>Default when no e-permit module is registered: a change needs nothing else.</summary>
public sealed class NoPermitChangeHook : IPermitChangeHook
{
    public Task OnChangedAsync(Permit permit, CancellationToken ct) => Task.CompletedTask;
}
