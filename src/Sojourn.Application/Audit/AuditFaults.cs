using Sojourn.Application.Errors;
using Sojourn.Data.Audit;

namespace Sojourn.Application.Audit;

/// <summary>A failed audit verification as the error catalogue states it (code, zh-CN title and detail).</summary>
public static class AuditFaults
{
    public static ErrorCode CodeOf(AuditFault fault) => fault switch
    {
        AuditFault.EntryAltered => ErrorCode.AuditEntryAltered,
        AuditFault.EntryMissing => ErrorCode.AuditEntryMissing,
        AuditFault.LinkBroken => ErrorCode.AuditLinkBroken,
        AuditFault.HeadMismatch => ErrorCode.AuditHeadMismatch,
        AuditFault.Truncated => ErrorCode.AuditTruncated,
        AuditFault.CheckpointMissing => ErrorCode.AuditCheckpointMissing,
        AuditFault.CheckpointForeign => ErrorCode.AuditCheckpointForeign,
        _ => ErrorCode.AuditMerkleMismatch,
    };

    /// <summary>The catalogue's code and message for a failed verification (null when intact).</summary>
    public static (ErrorCode Code, string Title, string Detail)? Describe(AuditVerification result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Intact || result.Fault is not { } fault)
        {
            return null;
        }

        var code = CodeOf(fault);
        return (code, Messages.Get(code.TitleKey),
            Messages.Format(code.TitleKey + "_Detail", result.FirstBadSeq, result.Detail, result.Checked));
    }
}
