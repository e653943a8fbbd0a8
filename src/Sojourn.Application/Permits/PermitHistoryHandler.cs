using System.Text.Json;
using Sojourn.Application.Actors;
using Sojourn.Application.Events;
using Sojourn.Data;
using Sojourn.Data.Permits;

namespace Sojourn.Application.Permits;

/// <summary>
/// Appends each permit step to its history (never overwritten): the number and status after the step, its legal
/// day, who took it, the reason, the articles, the engine stamp and the details the step recorded.
/// </summary>
internal sealed class PermitHistoryHandler(SojournDbContext db, CurrentActor actor) : IDomainEventHandler<PermitDomainEvent>
{
    /// <summary>How the details are stored (camelCase, as the API shows them).</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public const int ReasonLength = Data.Validation.ColumnLengths.PermitReason;

    public Task HandleAsync(PermitDomainEvent domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var (permit, step) = (domainEvent.Permit, domainEvent.Step);
        db.PermitEvents.Add(new PermitEvent
        {
            Id = Guid.NewGuid(),
            PermitId = permit.Id,
            Number = domainEvent.Number,
            Kind = domainEvent.Kind,
            StatusAfter = domainEvent.StatusAfter,
            EffectiveOn = step.EffectiveOn,
            At = step.At,
            Actor = actor.Label,
            ActorRole = actor.Role,
            Office = string.IsNullOrEmpty(actor.Office) ? null : actor.Office,
            Reason = step.Reason is { Length: > ReasonLength } r ? r[..ReasonLength] : step.Reason,
            Basis = step.Basis,
            Engine = step.Engine,
            Details = step.Details is null ? null : JsonSerializer.Serialize(step.Details, step.Details.GetType(), JsonOptions),
            ResidenceDivisionCode = permit.ResidenceDivisionCode,
        });
        return Task.CompletedTask;
    }
}
