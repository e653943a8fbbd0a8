namespace Sojourn.Bench.Registration.Generation;

/// <summary>Picks items with probability proportional to their weight (cumulative table + binary search).</summary>
public sealed class Weighted<T>
{
    private readonly T[] _items;
    private readonly double[] _cumulative;

    public Weighted(IEnumerable<(T Item, double Weight)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = entries.Where(e => e.Weight > 0).ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("At least one entry needs a positive weight.", nameof(entries));
        }

        _items = [.. list.Select(e => e.Item)];
        _cumulative = new double[list.Length];
        var sum = 0d;
        for (var i = 0; i < list.Length; i++)
        {
            sum += list[i].Weight;
            _cumulative[i] = sum;
        }
    }

    public int Count => _items.Length;

    public T Pick(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var x = random.NextDouble() * _cumulative[^1];
        var i = Array.BinarySearch(_cumulative, x);
        i = i < 0 ? ~i : i + 1;
        return _items[Math.Min(i, _items.Length - 1)];
    }
}

/// <summary>Shorthands for building weighted tables and drawing from a <see cref="Random"/>.</summary>
public static class WeightedExtensions
{
    public static Weighted<T> ToWeighted<T>(this IEnumerable<(T Item, double Weight)> entries) => new(entries);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public static bool Chance(this Random random, double p)
    {
        ArgumentNullException.ThrowIfNull(random);
        return random.NextDouble() < p;
    }

    public static T Of<T>(this Random random, IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(items);
        return items[random.Next(items.Count)];
    }
}
