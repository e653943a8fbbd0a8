using Sojourn.Data.Permits;

namespace Sojourn.Web.Tests.Infrastructure;

/// <summary>Permit rows for tests, made through the aggregate's one seeding creation (<see cref="Permit.AsItWas"/>).</summary>
public static class PermitSeed
{
    public static PermitHolder HolderOf(Permit permit) =>
        new(permit.PersonName, permit.PersonIdCipher, permit.PersonIdHmac, permit.PersonIdMasked, permit.Sex, permit.EthnicGroup, permit.BirthDate, permit.PhotoId);

    public static PermitResidence ResidenceOf(Permit permit) =>
        new(permit.RegistrationId, permit.ResidenceDivisionCode, permit.StationCode, permit.StationName, permit.ResidenceAddress, permit.Workplace);

    /// <summary>A permit in <paramref name="status"/> held only in memory (no database, no identity number).</summary>
    public static Permit InMemory(string status, string division, string policyId = "", DateOnly appliedOn = default) =>
        Permit.AsItWas(PermitKind.FirstIssue, new PermitHolder("张三明", "", "", "", "male", "01", new DateOnly(1990, 1, 1), null),
            new PermitResidence(Guid.NewGuid(), division, division + "000001", "测试派出所", "测试路1号", null), division, "测试市公安局",
            new PermitApplication(policyId, appliedOn, appliedOn), new PermitIssue(status), DateTime.UtcNow, "test");
}
