namespace Sojourn.Web.Permits;

/// <summary>Body of every versioned permit step: the version read (or If-Match), and a note.</summary>
internal record PermitStepRequest
{
    /// <summary>The permit version the client read; If-Match wins over it.</summary>
    public int? Version { get; init; }
}
