using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Sojourn.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CertificateSequences",
                columns: table => new
                {
                    DivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    LastNumber = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CertificateSequences", x => new { x.DivisionCode, x.Year });
                });

            migrationBuilder.CreateTable(
                name: "IdempotencyRecords",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    RequestHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    StatusCode = table.Column<int>(type: "integer", nullable: false),
                    ContentType = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    Location = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    ETag = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    Body = table.Column<byte[]>(type: "bytea", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdempotencyRecords", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "Registrations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    PersonName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    PersonIdHmac = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PersonIdMasked = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    ResidenceDivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    ResidenceAddressKey = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    StationCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: true),
                    StationName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    CertificateNumber = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    ArrivedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    DepartedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    DeclaredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ConfirmedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Registrations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RegistrationPhotos",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RegistrationId = table.Column<Guid>(type: "uuid", nullable: false),
                    ResidenceDivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    ContentType = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Content = table.Column<byte[]>(type: "bytea", nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    UploadedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RegistrationPhotos", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RegistrationPhotos_Registrations_RegistrationId",
                        column: x => x.RegistrationId,
                        principalTable: "Registrations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "RegistrationVersions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RegistrationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RecordedBy = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    DeclarantChannel = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    DeclarantName = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    DeclarantRole = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    Reason = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    ResidenceDivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    StationCode = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    StationName = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    CertificateNumber = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    DepartedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    Record_Name = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Record_Sex = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Record_EthnicGroup = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Record_BirthDate = table.Column<DateOnly>(type: "date", nullable: false),
                    Record_IdNumberCipher = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Record_IdNumberHmac = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Record_IdNumberMasked = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Record_PhotoId = table.Column<Guid>(type: "uuid", nullable: true),
                    Record_HukouDivisionCode = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Record_HukouAddress = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Record_ResidenceDivisionCode = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Record_ResidenceAddress = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Record_Workplace = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    Record_EducationLevel = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Record_EmploymentStatus = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Record_SocialInsurance = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Record_MaritalStatus = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Record_MarriageBirthCertificate = table.Column<bool>(type: "boolean", nullable: false),
                    Record_ArrivedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Record_IntendedDays = table.Column<int>(type: "integer", nullable: false),
                    Record_Purpose = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Record_Lodging = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RegistrationVersions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RegistrationVersions_Registrations_RegistrationId",
                        column: x => x.RegistrationId,
                        principalTable: "Registrations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AccompanyingChildren",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Sex = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    BirthDate = table.Column<DateOnly>(type: "date", nullable: false),
                    IdNumberCipher = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    IdNumberHmac = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    IdNumberMasked = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    VersionId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AccompanyingChildren", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AccompanyingChildren_RegistrationVersions_VersionId",
                        column: x => x.VersionId,
                        principalTable: "RegistrationVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AccompanyingChildren_VersionId",
                table: "AccompanyingChildren",
                column: "VersionId");

            migrationBuilder.CreateIndex(
                name: "IX_IdempotencyRecords_CreatedAt",
                table: "IdempotencyRecords",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_RegistrationPhotos_RegistrationId",
                table: "RegistrationPhotos",
                column: "RegistrationId");

            migrationBuilder.CreateIndex(
                name: "IX_RegistrationPhotos_ResidenceDivisionCode",
                table: "RegistrationPhotos",
                column: "ResidenceDivisionCode");

            migrationBuilder.CreateIndex(
                name: "IX_Registrations_CertificateNumber",
                table: "Registrations",
                column: "CertificateNumber",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Registrations_Division",
                table: "Registrations",
                columns: new[] { "ResidenceDivisionCode", "Status", "DeclaredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Registrations_DivisionPrefix",
                table: "Registrations",
                column: "ResidenceDivisionCode")
                .Annotation("Npgsql:IndexOperators", new[] { "text_pattern_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_Registrations_PersonIdHmac",
                table: "Registrations",
                column: "PersonIdHmac");

            migrationBuilder.CreateIndex(
                name: "IX_Registrations_Station",
                table: "Registrations",
                columns: new[] { "StationCode", "Status", "DeclaredAt" });

            migrationBuilder.CreateIndex(
                name: "UX_Registrations_OpenStay",
                table: "Registrations",
                columns: new[] { "PersonIdHmac", "ResidenceAddressKey" },
                unique: true,
                filter: "\"Status\" <> 'ended'");

            migrationBuilder.CreateIndex(
                name: "IX_RegistrationVersions_RegistrationId_Number",
                table: "RegistrationVersions",
                columns: new[] { "RegistrationId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RegistrationVersions_ResidenceDivisionCode",
                table: "RegistrationVersions",
                column: "ResidenceDivisionCode");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AccompanyingChildren");

            migrationBuilder.DropTable(
                name: "CertificateSequences");

            migrationBuilder.DropTable(
                name: "IdempotencyRecords");

            migrationBuilder.DropTable(
                name: "RegistrationPhotos");

            migrationBuilder.DropTable(
                name: "RegistrationVersions");

            migrationBuilder.DropTable(
                name: "Registrations");
        }
    }
}
