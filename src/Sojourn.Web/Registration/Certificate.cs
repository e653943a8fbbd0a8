using Microsoft.AspNetCore.Http.HttpResults;
using Sojourn.Application.PersonalData;
using Sojourn.Documents;
using Sojourn.Web.Access;
using Sojourn.Web.Access.Audit;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Registration;

/// <summary>The residence registration certificate (居住登记凭证) as a PDF, laid out by <see cref="PermitDocuments"/>.</summary>
internal static class Certificate
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/registrations/{id:guid}/certificate.pdf", HandleAsync)
            .WithTags("居住登记 Residence registration")
            .WithName("GetRegistrationCertificatePdf")
            .WithSummary("居住登记凭证（PDF）")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> HandleAsync(
        Guid id, HttpContext http, RegistrationContext ctx, AuditRecorder recorder, PersonalDataLedger ledger, PdfRendererHolder pdf,
        CancellationToken ct)
    {
        if (await recorder.MissingPurposeAsync(http, isRead: true, permitRoute: false, ct) is { } noPurpose)
        {
            return noPurpose;
        }

        var loaded = await ctx.LoadAsync(id, ct);
        if (loaded is not { } l)
        {
            return RegistrationContext.NotFound();
        }

        var (registration, current) = l;
        if (registration.CertificateNumber is null || registration.ConfirmedAt is null)
        {
            return ApiProblems.Result(ErrorCode.PermitRegistrationNotConfirmed, "居住登记尚未经派出所确认，还没有居住登记凭证。");
        }

        var record = current.Record;
        var registeredOn = ChinaClock.DayOf(registration.ConfirmedAt.Value);
        var data = new RegistrationCertificateData(
            registration.CertificateNumber,
            record.Name,
            ctx.Disclosure.Present(record.IdNumberMasked, () => ctx.Protector.Decrypt(record.IdNumberCipher), DisclosurePurpose.Certificate),
            record.ResidenceAddress,
            registeredOn,
            registration.StationName ?? registration.StationCode ?? "",
            [],
            ["居住地址、服务处所等信息变更的，请及时到居住地派出所办理变更。"]);
        var rendered = pdf.Render(PermitDocuments.RegistrationCertificate(data), $"registration-{registration.CertificateNumber}.pdf");
        if (rendered.Result is ProblemHttpResult)
        {
            return rendered;
        }

        // The certificate discloses the person: declared and audited like any read of the registration, durable
        // before the PDF leaves.
        ledger.Read(new PersonRef(registration.PersonIdHmac, registration.ResidenceDivisionCode, registration.Id), ["certificate"]);
        await recorder.RecordUsesAsync(http, "GetRegistrationCertificatePdf", ledger, ct);
        return rendered;
    }
}
