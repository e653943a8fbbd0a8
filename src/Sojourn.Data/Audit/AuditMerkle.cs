using Org.BouncyCastle.Crypto.Digests;

namespace Sojourn.Data.Audit;

/// <summary>
/// The Merkle tree of RFC 6962 §2.1 (RFC 9162 §2.1) over the sealed entries, with SM3 for SHA-256: leaf i is the
/// chain hash of entry i+1, leaf hash = SM3(0x00 ‖ leaf), node = SM3(0x01 ‖ left ‖ right). A signed head carries the
/// root; an inclusion proof shows that one entry is in the tree the head signed.
/// </summary>
public static class AuditMerkle
{
    public static byte[] LeafHash(string chainHash)
    {
        ArgumentNullException.ThrowIfNull(chainHash);
        var leaf = Convert.FromHexString(chainHash);
        var input = new byte[leaf.Length + 1];
        leaf.CopyTo(input, 1);
        return Sm3(input);
    }

    public static byte[] NodeHash(byte[] left, byte[] right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var input = new byte[1 + left.Length + right.Length];
        input[0] = 1;
        left.CopyTo(input, 1);
        right.CopyTo(input, 1 + left.Length);
        return Sm3(input);
    }

    /// <summary>MTH of the leaves (the chain hashes in order); the empty tree's root is SM3 of nothing.</summary>
    public static string Root(IReadOnlyList<string> chainHashes)
    {
        ArgumentNullException.ThrowIfNull(chainHashes);
        if (chainHashes.Count == 0)
        {
            return Convert.ToHexStringLower(Sm3([]));
        }

        var leaves = chainHashes.Select(LeafHash).ToArray();
        return Convert.ToHexStringLower(Mth(leaves, 0, leaves.Length));
    }

    /// <summary>
    /// MTH of leaves given one at a time, in O(log n) memory: a stack of complete subtrees, merged while the two on
    /// top are the same size; the root folds them from the right, which is the RFC's split at the largest power of two.
    /// </summary>
    internal sealed class RootBuilder
    {
        private readonly List<(long Size, byte[] Hash)> _stack = [];

        public void Add(string chainHash)
        {
            var (size, hash) = (1L, LeafHash(chainHash));
            while (_stack.Count > 0 && _stack[^1].Size == size)
            {
                hash = NodeHash(_stack[^1].Hash, hash);
                size *= 2;
                _stack.RemoveAt(_stack.Count - 1);
            }

            _stack.Add((size, hash));
        }

        public string Root()
        {
            if (_stack.Count == 0)
            {
                return Convert.ToHexStringLower(Sm3([]));
            }

            var hash = _stack[^1].Hash;
            for (var i = _stack.Count - 2; i >= 0; i--)
            {
                hash = NodeHash(_stack[i].Hash, hash);
            }

            return Convert.ToHexStringLower(hash);
        }
    }

    /// <summary>PATH(m, D[n]) of RFC 6962 §2.1.1 for leaf <paramref name="index"/> (0-based), as hex.</summary>
    public static IReadOnlyList<string> InclusionPath(IReadOnlyList<string> chainHashes, long index)
    {
        ArgumentNullException.ThrowIfNull(chainHashes);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, chainHashes.Count);
        var leaves = chainHashes.Select(LeafHash).ToArray();
        var path = new List<byte[]>();
        Path((int)index, leaves, 0, leaves.Length, path);
        return [.. path.Select(Convert.ToHexStringLower)];
    }

    /// <summary>Checks an inclusion proof (RFC 9162 §2.1.3.2) of leaf <paramref name="index"/> in a tree of <paramref name="size"/> with <paramref name="root"/>.</summary>
    public static bool VerifyInclusion(string chainHash, long index, long size, IReadOnlyList<string> path, string root)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (index < 0 || index >= size || string.IsNullOrEmpty(chainHash) || string.IsNullOrEmpty(root))
        {
            return false;
        }

        try
        {
            var fn = index;
            var sn = size - 1;
            var r = LeafHash(chainHash);
            foreach (var hex in path)
            {
                var p = Convert.FromHexString(hex);
                if (sn == 0)
                {
                    return false;
                }

                if ((fn & 1) == 1 || fn == sn)
                {
                    r = NodeHash(p, r);
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
                else
                {
                    r = NodeHash(r, p);
                }

                fn >>= 1;
                sn >>= 1;
            }

            return sn == 0 && string.Equals(Convert.ToHexStringLower(r), root, StringComparison.OrdinalIgnoreCase);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    internal static byte[] Mth(byte[][] leaves, int start, int n)
    {
        if (n == 1)
        {
            return leaves[start];
        }

        var k = (int)LargestPowerOfTwoBelow(n);
        return NodeHash(Mth(leaves, start, k), Mth(leaves, start + k, n - k));
    }

    private static void Path(int m, byte[][] leaves, int start, int n, List<byte[]> path)
    {
        if (n <= 1)
        {
            return;
        }

        var k = (int)LargestPowerOfTwoBelow(n);
        if (m < k)
        {
            Path(m, leaves, start, k, path);
            path.Add(Mth(leaves, start + k, n - k));
        }
        else
        {
            Path(m - k, leaves, start + k, n - k, path);
            path.Add(Mth(leaves, start, k));
        }
    }

    /// <summary>The RFC's split point: the largest power of two below <paramref name="n"/> (n &gt; 1).</summary>
    internal static long LargestPowerOfTwoBelow(long n)
    {
        var k = 1L;
        while (k << 1 < n)
        {
            k <<= 1;
        }

        return k;
    }

    private static byte[] Sm3(byte[] data)
    {
        var digest = new SM3Digest();
        digest.BlockUpdate(data, 0, data.Length);
        var result = new byte[digest.GetDigestSize()];
        digest.DoFinal(result, 0);
        return result;
    }
}
