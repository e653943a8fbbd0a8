using System.Diagnostics.CodeAnalysis;

namespace Sojourn.Application.Errors;

/// <summary>
/// What a use case returns: its value, or a typed <see cref="Failure"/>. Nothing in it knows HTTP; the endpoint,
/// a page, a job or the CLI decides how to show either.
/// </summary>
public readonly struct Outcome<T>
{
    private readonly T? _value;

    internal Outcome(T? value, Failure? failure)
    {
        _value = value;
        Failure = failure;
    }

    public Failure? Failure { get; }

    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Failure is null;

    /// <summary>The value; throws when the use case failed (check <see cref="Succeeded"/> first).</summary>
    public T Value => Failure is null ? _value! : throw new InvalidOperationException("The use case failed: " + Failure.Code.Code);

    public bool TryGetValue([MaybeNullWhen(false)] out T value, [NotNullWhen(false)] out Failure? failure)
    {
        value = _value;
        failure = Failure;
        return Failure is null;
    }

    public Outcome<TOut> Map<TOut>(Func<T, TOut> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return Failure is null ? Outcome.Success(map(_value!)) : Outcome.Fail<TOut>(Failure);
    }

#pragma warning disable CA2225, CA1000 // The named alternatives are Outcome.Success and Outcome.Fail.
    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Failure failure) => Outcome.Fail<T>(failure);
#pragma warning restore CA2225, CA1000
}

/// <summary>Builds outcomes where the implicit conversions do not apply (e.g. an interface-typed value).</summary>
public static class Outcome
{
    public static Outcome<T> Success<T>(T value) => new(value, null);

    public static Outcome<T> Fail<T>(Failure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new(default, failure);
    }
}
