using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sojourn.Rules.Tests.Policies;

/// <summary>The worked example of docs/policy-evaluation.md against cn-2016 and shanxi-2017 alone.</summary>
public sealed class ContractExampleTests
{
    internal const string ExampleCase = """
        {
          "policy": "shanxi-2017", "asOf": "2026-04-01",
          "person": { "idNumber": "370102199003071246", "birthDate": "1990-03-07", "sex": "female", "category": "mainland",
                      "hukouDivision": "370102", "maritalStatus": "married" },
          "stay": { "residenceDivision": "140105", "arrivedOn": "2026-03-02", "intendedDays": 365, "purpose": "work",
                    "lodging": "rental", "remoteArea": false },
          "facts": { "registeredOn": "2026-03-10", "socialInsuranceMonths": 4, "laborContractMonths": 12, "businessLicenseMonths": 0,
                     "agriculturalContractMonths": 0, "ownsHome": false, "rentalContract": true, "employerDormitory": false,
                     "enrolledFullTime": false, "talentOrInvestor": false, "marriageBirthCertificate": true },
          "landlord": { "kind": "individual", "movedInAt": "2026-03-02T21:30", "registeredAt": "2026-03-03T09:00",
                        "reportedOn": "2026-03-20", "movedOutOn": null, "departureReportedOn": null },
          "employer": { "kind": "organization", "hiredOn": "2026-03-05", "reportedOn": null, "terminatedOn": null, "terminationReportedOn": null },
          "market": { "enteredOn": null, "reportedOn": null },
          "permit": { "appliedOn": null, "issuedOn": null, "endorsedOn": [] }
        }
        """;

    internal static JsonObject Run(string json, params string[] policies)
    {
        var service = TestCatalog.Service(policies.Length == 0 ? ["cn-2016", "shanxi-2017"] : policies);
        using var doc = JsonDocument.Parse(json);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            service.EvaluateDocument(doc.RootElement, w);
        }

        return JsonNode.Parse(Encoding.UTF8.GetString(ms.ToArray()))!.AsObject();
    }

    [Fact]
    public void Evaluate_ContractExample_MatchesDocumentedResult()
    {
        var r = Run(ExampleCase);
        var duties = r["duties"]!.AsArray().ToDictionary(d => d!["id"]!.GetValue<string>(), d => d!);
        Assert.Equal(["person.register-residence", "landlord.register-tenant", "landlord.report-tenant", "employer.report-hire"], duties.Keys);
        Assert.Equal("2026-03-12", duties["person.register-residence"]["due"]!.GetValue<string>());
        Assert.Equal("2026-03-03T21:30", duties["landlord.register-tenant"]["due"]!.GetValue<string>());
        Assert.Equal("late", duties["landlord.report-tenant"]["status"]!.GetValue<string>());
        Assert.Equal("2026-03-16", duties["employer.report-hire"]["due"]!.GetValue<string>());
        Assert.Equal("overdue", duties["employer.report-hire"]["status"]!.GetValue<string>());
        Assert.Equal("""{"eligible":false,"earliest":"2026-09-10","unmet":["residence-duration"],"basis":"shanxi-2017#9"}""", r["permit"]!.ToJsonString());
        Assert.Equal(2, r["penalties"]!.AsArray().Count);
        Assert.Empty(r["entitlements"]!.AsArray());
        Assert.StartsWith("sha256:", r["engine"]!["policyHashes"]!["cn-2016"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
