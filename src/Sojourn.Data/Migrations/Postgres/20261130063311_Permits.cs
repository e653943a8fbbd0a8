using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sojourn.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Permits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CredentialChecks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Channel = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    AccountId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Role = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    Office = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Purpose = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    PermitId = table.Column<Guid>(type: "uuid", nullable: true),
                    PermitNumber = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    AuthorityCode = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: true),
                    Outcome = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CredentialChecks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "IssuerKeys",
                columns: table => new
                {
                    AuthorityCode = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    AuthorityName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RingCipher = table.Column<string>(type: "text", maxLength: 400, nullable: false),
                    PublicRingJson = table.Column<string>(type: "text", maxLength: 400, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IssuerKeys", x => x.AuthorityCode);
                });

            migrationBuilder.CreateTable(
                name: "Permits",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    PredecessorId = table.Column<Guid>(type: "uuid", nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    PermitNumber = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    PersonName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    PersonIdCipher = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    PersonIdHmac = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PersonIdMasked = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    Sex = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    EthnicGroup = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    BirthDate = table.Column<DateOnly>(type: "date", nullable: false),
                    PhoneCipher = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    RegistrationId = table.Column<Guid>(type: "uuid", nullable: false),
                    ResidenceDivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    ResidenceAddress = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Workplace = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    StationCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    StationName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    AuthorityCode = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    AuthorityName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    RemoteArea = table.Column<bool>(type: "boolean", nullable: false),
                    PolicyId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ApplicantRelation = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ApplicantName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Materials = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    FactsJson = table.Column<string>(type: "text", maxLength: 400, nullable: false),
                    AppliedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    IssueDue = table.Column<DateOnly>(type: "date", nullable: false),
                    DecidedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    IssuedOn = table.Column<DateOnly>(type: "date", nullable: true),
                    ValidUntil = table.Column<DateOnly>(type: "date", nullable: true),
                    EndorsementAnchor = table.Column<DateOnly>(type: "date", nullable: true),
                    EndorsementsDone = table.Column<int>(type: "integer", nullable: false),
                    EndorsementOpens = table.Column<DateOnly>(type: "date", nullable: true),
                    EndorsementDue = table.Column<DateOnly>(type: "date", nullable: true),
                    ResidenceCountsFrom = table.Column<DateOnly>(type: "date", nullable: true),
                    LeftOn = table.Column<DateOnly>(type: "date", nullable: true),
                    RefusalReason = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    RefusalBasis = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    FeeYuan = table.Column<int>(type: "integer", nullable: true),
                    FeeBasis = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    PhotoId = table.Column<Guid>(type: "uuid", nullable: true),
                    StatusIndex = table.Column<int>(type: "integer", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Permits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Permits_Registrations_RegistrationId",
                        column: x => x.RegistrationId,
                        principalTable: "Registrations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "StatusLists",
                columns: table => new
                {
                    AuthorityCode = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    Capacity = table.Column<int>(type: "integer", nullable: false),
                    NextIndex = table.Column<int>(type: "integer", nullable: false),
                    Bits = table.Column<byte[]>(type: "bytea", nullable: false),
                    SignedList = table.Column<string>(type: "text", maxLength: 400, nullable: true),
                    SignedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StatusLists", x => x.AuthorityCode);
                });

            migrationBuilder.CreateTable(
                name: "IssuedCredentials",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PermitId = table.Column<Guid>(type: "uuid", nullable: false),
                    AuthorityCode = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    StatusIndex = table.Column<int>(type: "integer", nullable: false),
                    KeyId = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Compact = table.Column<string>(type: "text", maxLength: 400, nullable: false),
                    IssuedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    EffectiveUntil = table.Column<DateOnly>(type: "date", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    ResidenceDivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IssuedCredentials", x => x.Id);
                    table.ForeignKey(
                        name: "FK_IssuedCredentials_Permits_PermitId",
                        column: x => x.PermitId,
                        principalTable: "Permits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PermitEvents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PermitId = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    StatusAfter = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    EffectiveOn = table.Column<DateOnly>(type: "date", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Actor = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ActorRole = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Office = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Basis = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true),
                    Engine = table.Column<string>(type: "text", maxLength: 400, nullable: true),
                    Details = table.Column<string>(type: "text", maxLength: 400, nullable: true),
                    ResidenceDivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PermitEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PermitEvents_Permits_PermitId",
                        column: x => x.PermitId,
                        principalTable: "Permits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PermitReminders",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PermitId = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonIdHmac = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    DueOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Message = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Basis = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ReadAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ResidenceDivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PermitReminders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PermitReminders_Permits_PermitId",
                        column: x => x.PermitId,
                        principalTable: "Permits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SmsOutbox",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ReminderId = table.Column<Guid>(type: "uuid", nullable: false),
                    PhoneCipher = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Text = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SentAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SmsOutbox", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SmsOutbox_PermitReminders_ReminderId",
                        column: x => x.ReminderId,
                        principalTable: "PermitReminders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CredentialChecks_At",
                table: "CredentialChecks",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_CredentialChecks_PermitId_At",
                table: "CredentialChecks",
                columns: new[] { "PermitId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_IssuedCredentials_PermitId_IssuedAt",
                table: "IssuedCredentials",
                columns: new[] { "PermitId", "IssuedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PermitEvents_PermitId_Number",
                table: "PermitEvents",
                columns: new[] { "PermitId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PermitReminders_PermitId_Kind_DueOn",
                table: "PermitReminders",
                columns: new[] { "PermitId", "Kind", "DueOn" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PermitReminders_PersonIdHmac_CreatedAt",
                table: "PermitReminders",
                columns: new[] { "PersonIdHmac", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Permits_AuthorityCode_StatusIndex",
                table: "Permits",
                columns: new[] { "AuthorityCode", "StatusIndex" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Permits_Division",
                table: "Permits",
                columns: new[] { "ResidenceDivisionCode", "Status", "EndorsementDue" });

            migrationBuilder.CreateIndex(
                name: "IX_Permits_DivisionPrefix",
                table: "Permits",
                column: "ResidenceDivisionCode")
                .Annotation("Npgsql:IndexOperators", new[] { "text_pattern_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_Permits_PermitNumber",
                table: "Permits",
                column: "PermitNumber",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Permits_Person",
                table: "Permits",
                columns: new[] { "PersonIdHmac", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Permits_RegistrationId",
                table: "Permits",
                column: "RegistrationId");

            migrationBuilder.CreateIndex(
                name: "IX_Permits_Station",
                table: "Permits",
                columns: new[] { "StationCode", "Status", "IssueDue" });

            migrationBuilder.CreateIndex(
                name: "UX_Permits_OnePerPerson",
                table: "Permits",
                column: "PersonIdHmac",
                unique: true,
                filter: "\"Status\" IN ('applied', 'valid', 'suspended')");

            migrationBuilder.CreateIndex(
                name: "IX_SmsOutbox_ReminderId",
                table: "SmsOutbox",
                column: "ReminderId");

            migrationBuilder.CreateIndex(
                name: "IX_SmsOutbox_SentAt_CreatedAt",
                table: "SmsOutbox",
                columns: new[] { "SentAt", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CredentialChecks");

            migrationBuilder.DropTable(
                name: "IssuedCredentials");

            migrationBuilder.DropTable(
                name: "IssuerKeys");

            migrationBuilder.DropTable(
                name: "PermitEvents");

            migrationBuilder.DropTable(
                name: "SmsOutbox");

            migrationBuilder.DropTable(
                name: "StatusLists");

            migrationBuilder.DropTable(
                name: "PermitReminders");

            migrationBuilder.DropTable(
                name: "Permits");
        }
    }
}
