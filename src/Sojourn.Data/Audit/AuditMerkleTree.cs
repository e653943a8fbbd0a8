using Microsoft.EntityFrameworkCore;

namespace Sojourn.Data.Audit;

/// <summary>
/// The audit log's Merkle tree (<see cref="AuditMerkle"/>, RFC 6962) without reading the whole log: the hashes of
/// complete subtrees of 2^<see cref="TileLevel"/> leaves and above are stored (<see cref="AuditMerkleNode"/>, about
/// one row per 128 entries) as the sequencer seals, so a signed head's root and an entry's inclusion proof take
/// O(log n) stored nodes plus at most a few tiles of 256 chain hashes, not all n (which a province's log, read every
/// minute to sign its head, would make unaffordable). Stored nodes are derived data: <c>audit verify</c> still
/// recomputes the root from every entry, so an edited node shows up as a root that does not match.
/// </summary>
public static class AuditMerkleTree
{
    /// <summary>Height of the smallest stored subtree (256 leaves): below it, hashes come from the entries.</summary>
    public const int TileLevel = 8;

    private const long TileSize = 1L << TileLevel;

    /// <summary>Tiles read per step (262,144 chain hashes), so a large log that predates the stored nodes catches up in
    /// bounded memory.</summary>
    private const int TilesPerStep = 1024;

    /// <summary>
    /// Stores the nodes of every complete tile of the first <paramref name="size"/> leaves not stored yet, and the
    /// parents they complete; inside the sequencer's transaction, after sealing. Returns how many nodes were added.
    /// </summary>
    public static async Task<int> ExtendAsync(SojournDbContext db, long size, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var next = await db.AuditMerkleNodes.AsNoTracking().Where(n => n.Level == TileLevel)
            .MaxAsync(n => (long?)n.Index, cancellationToken) is { } last ? last + 1 : 0;
        // Usually one tile or none; a log that predates the table catches up whole, step by step, before anything
        // signs from the nodes (a missing node would be recomputed from its tiles, one query per tile).
        var total = 0;
        while (next < size / TileSize)
        {
            var end = Math.Min(size / TileSize, next + TilesPerStep);
            var added = await ExtendStepAsync(db, next, end, cancellationToken);
            if (added < 0)
            {
                break;
            }

            total += added;
            next = end;
        }

        return total;
    }

    // Tiles [next, end): their nodes and the parents they complete; -1 when the chain there has a gap.
    private static async Task<int> ExtendStepAsync(SojournDbContext db, long next, long end, CancellationToken cancellationToken)
    {
        var hashes = await SealedHashesAsync(db, next * TileSize, (end - next) * TileSize, cancellationToken);
        if (hashes is null || hashes.Count != (end - next) * TileSize)
        {
            return -1; // a gap in the sealed chain: nothing to build on (verification reports it)
        }

        var added = new Dictionary<(int Level, long Index), byte[]>();
        for (var tile = next; tile < end; tile++)
        {
            var leaves = new byte[TileSize][];
            for (var i = 0; i < TileSize; i++)
            {
                leaves[i] = AuditMerkle.LeafHash(hashes[(int)(((tile - next) * TileSize) + i)]);
            }

            var (level, index, hash) = (TileLevel, tile, AuditMerkle.Mth(leaves, 0, (int)TileSize));
            added[(level, index)] = hash;
            // A right child completes its parent: climb while this node is one.
            while ((index & 1) == 1)
            {
                var left = added.TryGetValue((level, index - 1), out var l) ? l : await StoredAsync(db, level, index - 1, cancellationToken);
                if (left is null)
                {
                    break;
                }

                hash = AuditMerkle.NodeHash(left, hash);
                (level, index) = (level + 1, index >> 1);
                added[(level, index)] = hash;
            }
        }

        var nodes = added.Select(a => new AuditMerkleNode { Level = a.Key.Level, Index = a.Key.Index, Hash = Convert.ToHexStringLower(a.Value) }).ToList();
        db.AuditMerkleNodes.AddRange(nodes);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            foreach (var node in nodes)
            {
                db.Entry(node).State = EntityState.Detached;
            }
        }

        return nodes.Count;
    }

    /// <summary>MTH of the first <paramref name="size"/> leaves (the root a signed head carries); null when the chain has a gap.</summary>
    public static async Task<string?> RootAsync(SojournDbContext db, long size, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (size == 0)
        {
            return AuditMerkle.Root([]);
        }

        var root = await new Reader(db).HashAsync(0, size, cancellationToken);
        return root is null ? null : Convert.ToHexStringLower(root);
    }

    /// <summary>A reader for several proofs under one tree (the stored nodes and tiles it read are kept).</summary>
    public static Reader Open(SojournDbContext db) => new(db);

    /// <summary>Reads subtree hashes from stored nodes and, below a tile, from the entries; remembers what it read.</summary>
    public sealed class Reader
    {
        private readonly SojournDbContext _db;
        private readonly Dictionary<(int Level, long Index), byte[]?> _nodes = [];
        private readonly Dictionary<long, byte[][]?> _tiles = [];

        internal Reader(SojournDbContext db) => _db = db;

        /// <summary>PATH(index, D[size]) of RFC 6962 §2.1.1, as hex; null when the chain has a gap.</summary>
        public async Task<IReadOnlyList<string>?> InclusionPathAsync(long index, long size, CancellationToken cancellationToken)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, size);
            var path = new List<string>();
            long start = 0, n = size, m = index;
            var siblings = new List<(long Start, long Size)>();
            while (n > 1)
            {
                var k = AuditMerkle.LargestPowerOfTwoBelow(n);
                if (m < k)
                {
                    siblings.Add((start + k, n - k));
                    n = k;
                }
                else
                {
                    siblings.Add((start, k));
                    (start, n, m) = (start + k, n - k, m - k);
                }
            }

            // RFC order: the sibling nearest the leaf first.
            for (var i = siblings.Count - 1; i >= 0; i--)
            {
                var hash = await HashAsync(siblings[i].Start, siblings[i].Size, cancellationToken);
                if (hash is null)
                {
                    return null;
                }

                path.Add(Convert.ToHexStringLower(hash));
            }

            return path;
        }

        /// <summary>MTH of leaves [start, start + n): a stored node for a complete aligned subtree of a tile or more,
        /// the entries' hashes within a tile, and the RFC split otherwise (ranges from the split are aligned).</summary>
        internal async Task<byte[]?> HashAsync(long start, long n, CancellationToken cancellationToken)
        {
            if (n <= TileSize && start / TileSize == (start + n - 1) / TileSize)
            {
                var tile = start / TileSize;
                var leaves = await TileAsync(tile, cancellationToken);
                var from = (int)(start - (tile * TileSize));
                return leaves is null || from + n > leaves.Length ? null : AuditMerkle.Mth(leaves, from, (int)n);
            }

            if ((n & (n - 1)) == 0 && start % n == 0)
            {
                var level = System.Numerics.BitOperations.Log2((ulong)n);
                if (await NodeAsync(level, start / n, cancellationToken) is { } stored)
                {
                    return stored;
                }
            }

            var k = AuditMerkle.LargestPowerOfTwoBelow(n);
            var left = await HashAsync(start, k, cancellationToken);
            var right = left is null ? null : await HashAsync(start + k, n - k, cancellationToken);
            return right is null ? null : AuditMerkle.NodeHash(left!, right);
        }

        private async Task<byte[]?> NodeAsync(int level, long index, CancellationToken cancellationToken)
        {
            if (!_nodes.TryGetValue((level, index), out var hash))
            {
                hash = await StoredAsync(_db, level, index, cancellationToken);
                _nodes[(level, index)] = hash;
            }

            return hash;
        }

        // The leaf hashes of one tile, as far as the chain is sealed (a partial last tile is shorter).
        private async Task<byte[][]?> TileAsync(long tile, CancellationToken cancellationToken)
        {
            if (!_tiles.TryGetValue(tile, out var leaves))
            {
                var hashes = await SealedHashesAsync(_db, tile * TileSize, TileSize, cancellationToken);
                leaves = hashes is null ? null : [.. hashes.Select(AuditMerkle.LeafHash)];
                _tiles[tile] = leaves;
            }

            return leaves;
        }
    }

    private static async Task<byte[]?> StoredAsync(SojournDbContext db, int level, long index, CancellationToken cancellationToken) =>
        await db.AuditMerkleNodes.AsNoTracking().Where(n => n.Level == level && n.Index == index)
            .Select(n => n.Hash).FirstOrDefaultAsync(cancellationToken) is { } hex ? Convert.FromHexString(hex) : null;

    // The chain hashes of entries from + 1 .. from + count in order, as far as they are sealed (fewer at the head of
    // the log); null when the sealed ones there are not contiguous from from + 1 (a gap: verification reports it).
    private static async Task<List<string>?> SealedHashesAsync(SojournDbContext db, long from, long count, CancellationToken cancellationToken)
    {
        var rows = await db.AuditEntries.AsNoTracking().Where(a => a.Seq > from && a.Seq <= from + count)
            .OrderBy(a => a.Seq).Select(a => new { Seq = a.Seq!.Value, Hash = a.Hash! }).ToListAsync(cancellationToken);
        return rows.Count == 0 || rows[^1].Seq == from + rows.Count ? [.. rows.Select(r => r.Hash)] : null;
    }
}
