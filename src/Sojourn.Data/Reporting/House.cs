namespace Sojourn.Data.Reporting;

/// <summary>A residential building registered and numbered by the police (宁夏 第十条 居住类建筑物逐一登记编号).</summary>
public sealed class House
{
    public Guid Id { get; set; }

    /// <summary>The building's code, unique.</summary>
    public string Code { get; set; } = "";

    public string DivisionCode { get; set; } = "";
    public string Address { get; set; } = "";

    /// <summary>The landlord (an establishment of kind landlord) who lets it, if any.</summary>
    public Guid? LandlordId { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>A room of a house; a report may name it.</summary>
public sealed class Room
{
    public Guid Id { get; set; }
    public Guid HouseId { get; set; }
    public string Number { get; set; } = "";
}
