namespace Sojourn.Credentials;

/// <summary>
/// The public security organ that issues permits (居住证暂行条例 第八条): its name as printed on the
/// permit and its six-digit GB/T 2260 division code, which also scopes its key ring and status list.
/// </summary>
public sealed record IssuingAuthority
{
    public IssuingAuthority(string code, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"发证机关区划代码应为6位数字：{code}", nameof(code));
        }

        Code = code;
        Name = name;
    }

    /// <summary>GB/T 2260 division code, e.g. 320106.</summary>
    public string Code { get; }

    /// <summary>Name as printed, e.g. 南京市公安局鼓楼分局.</summary>
    public string Name { get; }
}
