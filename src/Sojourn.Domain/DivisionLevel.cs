namespace Sojourn.Domain;

/// <summary>Level of an administrative division in GB/T 2260; values match the <c>level</c> column of the CSV.</summary>
public enum DivisionLevel
{
    /// <summary>省级: 省、自治区、直辖市、特别行政区 (code ends 0000).</summary>
    Province = 1,

    /// <summary>地级: 地级市、地区、自治州、盟 (code ends 00).</summary>
    Prefecture = 2,

    /// <summary>县级: 市辖区、县级市、县、自治县、旗、自治旗、林区、特区.</summary>
    County = 3,
}
