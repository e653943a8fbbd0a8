using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sojourn.Data.Access;
using Sojourn.Data.Permits;
using Sojourn.Web.Tests.Infrastructure;

namespace Sojourn.Web.Tests.Permits;

/// <summary>
/// The permit's PDFs over HTTP (face with QR, refusal notice, endorsement record) and the registration
/// certificate, read back in process (PdfPig) with the bundled fonts: no system font or poppler needed.
/// </summary>
public abstract class PermitDocumentTests(SojournAppFactory? factory, string? skipReason) : DatabaseTests(factory, skipReason)
{
    private static readonly DateOnly IssuedOn = new(2026, 7, 1);

    [SkippableFact]
    public async Task Face_ValidPermit_PdfWithNumberAuthorityAndTitle()
    {
        var permit = await Factory.ValidPermitAsync(PermitPlace.Shanxi, IssuedOn);
        using var officer = await Factory.OfficerAsync(PermitPlace.Shanxi);

        var text = await PdfTextAsync(await officer.GetAsync($"/api/v1/permits/{permit.Id}/documents/face"));

        Assert.Contains("居住证", text, StringComparison.Ordinal);
        Assert.Contains(permit.PermitNumber, text, StringComparison.Ordinal);
        Assert.Contains("张三明", text, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task EndorsementRecord_ValidPermit_PdfWithNumber()
    {
        var permit = await Factory.ValidPermitAsync(PermitPlace.Taizhou, IssuedOn);
        using var migrant = await Factory.ClientAsAsync(Roles.Migrant, "", "", permit.IdNumber);

        var text = await PdfTextAsync(await migrant.GetAsync($"/api/v1/permits/{permit.Id}/documents/endorsement-record"));

        Assert.Contains("签注记录", text, StringComparison.Ordinal);
        Assert.Contains(permit.PermitNumber, text, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task RefusalNotice_RefusedOnly_PdfCitesArticle()
    {
        var refused = await Factory.ValidPermitAsync(PermitPlace.Shandong, IssuedOn, status: PermitStatus.Refused);
        var valid = await Factory.ValidPermitAsync(PermitPlace.Shandong, IssuedOn);
        using var officer = await Factory.OfficerAsync(PermitPlace.Shandong);

        var text = await PdfTextAsync(await officer.GetAsync($"/api/v1/permits/{refused.Id}/documents/refusal-notice"));
        var notRefused = await officer.GetAsync($"/api/v1/permits/{valid.Id}/documents/refusal-notice");

        Assert.Contains("不予办理告知书", text, StringComparison.Ordinal);
        Assert.Contains("居住未满半年", text, StringComparison.Ordinal);
        Assert.Contains("行政复议", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, notRefused.StatusCode);
    }

    [SkippableFact]
    public async Task Certificate_ConfirmedRegistration_PdfWithCertificateNumber()
    {
        Factory.Clock.SetToday(IssuedOn);
        using var officer = await Factory.OfficerAsync(PermitPlace.Shanxi);
        var (registrationId, _) = await Factory.RegisteredAsync(officer, PermitPlace.Shanxi, IssuedOn);
        var registration = await (await officer.GetAsync($"/api/v1/registrations/{registrationId}")).Content.ReadAsStringAsync();

        var text = await PdfTextAsync(await officer.GetAsync($"/api/v1/registrations/{registrationId}/certificate.pdf"));
        var outside = await (await Factory.ClientAsAsync(Roles.Officer, "140106", "140106000002"))
            .GetAsync($"/api/v1/registrations/{registrationId}/certificate.pdf");

        Assert.Contains("居住登记凭证", text, StringComparison.Ordinal);
        var number = System.Text.Json.Nodes.JsonNode.Parse(registration)!["certificateNumber"]!.GetValue<string>();
        Assert.Contains(number, text.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        // The PDF is a read of the person's data: one entry under the person, as declared, and none for the refused read.
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.SojournDbContext>();
        var person = await db.Registrations.IgnoreQueryFilters().AsNoTracking().Where(r => r.Id == registrationId).Select(r => r.PersonIdHmac).SingleAsync();
        var entries = await db.AuditEntries.AsNoTracking()
            .Where(a => a.RegistrationId == registrationId && a.Operation == "GetRegistrationCertificatePdf").ToListAsync();
        var entry = Assert.Single(entries);
        Assert.Equal(("read", "certificate", person), (entry.Action, entry.Fields, entry.PersonIdHmac));
    }

    private static async Task<string> PdfTextAsync(HttpResponseMessage response)
    {
        await PermitScenario.Ensure(response, HttpStatusCode.OK);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF"u8.ToArray(), bytes[..4]);
        return Sojourn.TestSupport.PdfText.Read(bytes);
    }
}

public sealed class SqlitePermitDocumentTests(SqliteAppFixture fixture)
    : PermitDocumentTests(fixture.Factory, null), IClassFixture<SqliteAppFixture>;

public sealed class PostgresPermitDocumentTests(PostgresAppFixture fixture)
    : PermitDocumentTests(fixture.Factory, fixture.SkipReason), IClassFixture<PostgresAppFixture>;
