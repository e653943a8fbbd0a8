namespace Sojourn.Data.Audit;

/// <summary>
/// One read or write of a named person's data (confidentiality per jurisdiction: policy files' dataAccess; 个人信息保护法 第四十五条).
/// Inserted <em>unsealed</em> (no <see cref="Seq"/>, no hashes) in the operation's own transaction; the sequencer
/// (<see cref="AuditChain.SealAsync"/>) later gives it its place in the chain: <see cref="Hash"/> = SM3(<see cref="PrevHash"/> ‖
/// canonical entry). Rows are append-only (database triggers); the only update allowed is that sealing.
/// </summary>
public sealed class AuditEntry
{
    /// <summary>Insertion order (identity); the sequencer seals in this order.</summary>
    public long Id { get; set; }

    /// <summary>1, 2, 3 … without gaps once sealed; the chain order. Null while unsealed.</summary>
    public long? Seq { get; set; }

    public DateTime At { get; set; }
    public required string AccountId { get; set; }
    public required string ActorRole { get; set; }

    /// <summary>The actor's office, shown to the migrant instead of the officer's own details.</summary>
    public required string Office { get; set; }

    /// <summary>read | write | search | list.</summary>
    public required string Action { get; set; }

    /// <summary>Endpoint name, e.g. GetRegistration.</summary>
    public required string Operation { get; set; }

    public Guid? RegistrationId { get; set; }

    /// <summary>Lookup hash of the person's identity number, so a migrant can find reads of their data.</summary>
    public string? PersonIdHmac { get; set; }

    public string? ResidenceDivisionCode { get; set; }

    /// <summary>Comma-separated field names disclosed or written.</summary>
    public required string Fields { get; set; }

    public string? Purpose { get; set; }
    public string? Ip { get; set; }

    /// <summary>The previous entry's hash (the genesis for entry 1); null while unsealed.</summary>
    public string? PrevHash { get; set; }

    /// <summary>SM3(PrevHash ‖ canonical entry); null while unsealed.</summary>
    public string? Hash { get; set; }
}

/// <summary>
/// A chain head signed with the audit signing key (SM2), which the database does not hold: the tree size
/// (<see cref="Seq"/>), the chain hash there, the RFC 6962 Merkle root over entries 1..Seq and the time. Copies go
/// to the checkpoint file outside the database. Rows are append-only (triggers).
/// </summary>
public sealed class AuditSignedHead
{
    public long Seq { get; set; }
    public required string Hash { get; set; }
    public required string MerkleRoot { get; set; }
    public DateTime SignedAt { get; set; }
    public required string KeyId { get; set; }
    public required string Signature { get; set; }
}

/// <summary>
/// A stored node of the audit log's Merkle tree (<see cref="AuditMerkleTree"/>): the hash of the complete subtree of
/// 2^<see cref="Level"/> leaves starting at leaf <see cref="Index"/> × 2^<see cref="Level"/>, for levels from
/// <see cref="AuditMerkleTree.TileLevel"/> up. Append-only; derived from the sealed chain, so verification never
/// trusts it (it recomputes the root from the entries).
/// </summary>
public sealed class AuditMerkleNode
{
    public int Level { get; set; }
    public long Index { get; set; }
    public required string Hash { get; set; }
}
