using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sojourn.Data.Registrations;
using Sojourn.Web.Hosting;

namespace Sojourn.Web.Registration;

/// <summary>
/// 近期照片: upload as the raw request body (Content-Type image/jpeg or image/png, If-Match required),
/// checked by its magic bytes and its size (Sojourn:Registration:PhotoMaxBytes). An upload appends a version.
/// </summary>
public static class Photos
{
    private static readonly byte[] JpegMagic = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] PngMagic = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/photo", UploadAsync)
            .Accepts<Stream>("image/jpeg", "image/png")
            .WithName("UploadRegistrationPhoto")
            .WithSummary("上传近期照片（JPEG/PNG）")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
        group.MapGet("/{id:guid}/photo", GetAsync)
            .WithName("GetRegistrationPhoto")
            .WithSummary("查看近期照片")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static async Task<Results<Ok<PhotoDto>, ProblemHttpResult>> UploadAsync(
        Guid id, HttpContext http, RegistrationContext ctx, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(ctx);
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not ("image/jpeg" or "image/png" or "application/octet-stream"))
        {
            return ApiProblems.Result(ErrorCode.UnsupportedMediaType, Messages.Get("Photo_MediaType"));
        }

        ProblemHttpResult? failure = null;
        var loaded = await ctx.LoadForUpdateAsync(id, Http.EntityTags.ExpectedVersion(http, null), p => failure = p, cancellationToken);
        if (loaded is not { } l)
        {
            return failure!;
        }

        var max = ctx.Options.PhotoMaxBytes;
        var content = await ReadAtMostAsync(http.Request.Body, max + 1, cancellationToken);
        if (content.Length > max)
        {
            return ApiProblems.Validation("photo", Messages.Format("Photo_TooLarge", max / 1024));
        }

        var detected = content.AsSpan().StartsWith(JpegMagic) ? "image/jpeg"
            : content.AsSpan().StartsWith(PngMagic) ? "image/png"
            : null;
        if (detected is null || content.Length < 64)
        {
            return ApiProblems.Validation("photo", Messages.Get("Photo_NotImage"));
        }

        var (registration, current) = l;
        var photo = new RegistrationPhoto
        {
            Id = Guid.CreateVersion7(),
            RegistrationId = registration.Id,
            ResidenceDivisionCode = registration.ResidenceDivisionCode,
            ContentType = detected,
            Content = content,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
            UploadedAt = ctx.Clock.UtcNow,
        };
        var record = current.Record.Copy();
        record.PhotoId = photo.Id;
        var declarant = new Declarant(current.DeclarantChannel, current.DeclarantName, current.DeclarantRole);
        ctx.Db.RegistrationPhotos.Add(photo);
        var version = registration.Amend(VersionKind.Photo, record, declarant, null, Access.ClaimsActorSource.Label(http), ctx.Clock.UtcNow);
        ctx.Db.RegistrationVersions.Add(version);
        if (await ctx.SaveAsync(registration, null, cancellationToken) is { } problem)
        {
            return problem;
        }

        Http.EntityTags.SetETag(http, registration.Version);
        return TypedResults.Ok(new PhotoDto(photo.Id, photo.ContentType, content.Length, photo.Sha256, registration.Version));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetAsync(
        Guid id, RegistrationContext ctx, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var loaded = await ctx.LoadAsync(id, cancellationToken);
        if (loaded is not { } l)
        {
            return RegistrationContext.NotFound();
        }

        var photoId = l.Current.Record.PhotoId;
        var photo = photoId is null
            ? null
            : await ctx.Db.RegistrationPhotos.AsNoTracking().FirstOrDefaultAsync(p => p.Id == photoId, cancellationToken);
        if (photo is null)
        {
            return ApiProblems.Result(ErrorCode.PhotoNotFound, Messages.Get("Error_PhotoNotFound_Detail"));
        }

        return TypedResults.File(photo.Content, photo.ContentType);
    }

    private static async Task<byte[]> ReadAtMostAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while (buffer.Length < limit && (read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, (int)Math.Min(read, limit - buffer.Length));
        }

        return buffer.ToArray();
    }
}
