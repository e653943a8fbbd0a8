using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sojourn.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Compliance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "RegisteredOn",
                table: "Registrations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "RegistrationDue",
                table: "Registrations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RegistrationDutyBasis",
                table: "Registrations",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RegistrationDutyStatus",
                table: "Registrations",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "none");

            migrationBuilder.AddColumn<string>(
                name: "RegistrationEngine",
                table: "Registrations",
                type: "text",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RegistrationPolicies",
                table: "Registrations",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ComplianceCases",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DutyKey = table.Column<string>(type: "TEXT", maxLength: 160, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SubjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RegistrationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PersonIdHmac = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ResidenceDivisionCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    StationCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: true),
                    Duty = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Party = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DutyBasis = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Due = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    DoneOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    DutyStatus = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    OrderToCorrect = table.Column<bool>(type: "INTEGER", nullable: false),
                    Warning = table.Column<bool>(type: "INTEGER", nullable: false),
                    FineMin = table.Column<int>(type: "INTEGER", nullable: true),
                    FineMax = table.Column<int>(type: "INTEGER", nullable: true),
                    SeriousFineMin = table.Column<int>(type: "INTEGER", nullable: true),
                    SeriousFineMax = table.Column<int>(type: "INTEGER", nullable: true),
                    FineOnlyIfUncorrected = table.Column<bool>(type: "INTEGER", nullable: false),
                    SanctionBasis = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    OrderLimitDays = table.Column<int>(type: "INTEGER", nullable: true),
                    OrderLimitBasis = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Policies = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Engine = table.Column<string>(type: "text", maxLength: 400, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    OrderedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    CorrectBy = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    FineYuan = table.Column<int>(type: "INTEGER", nullable: true),
                    Serious = table.Column<bool>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    DecidedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    DecidedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    OpenedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    OpenedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    OpenedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ComplianceCases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ComplianceCaseEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CaseId = table.Column<long>(type: "INTEGER", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    On = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Basis = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Details = table.Column<string>(type: "text", maxLength: 400, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ComplianceCaseEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ComplianceCaseEvents_ComplianceCases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "ComplianceCases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Registrations_Duty",
                table: "Registrations",
                columns: new[] { "RegistrationDutyStatus", "RegistrationDue", "ResidenceDivisionCode" });

            migrationBuilder.CreateIndex(
                name: "IX_ComplianceCaseEvents_CaseId_Number",
                table: "ComplianceCaseEvents",
                columns: new[] { "CaseId", "Number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ComplianceCases_Division",
                table: "ComplianceCases",
                columns: new[] { "ResidenceDivisionCode", "State", "CorrectBy" });

            migrationBuilder.CreateIndex(
                name: "IX_ComplianceCases_Station",
                table: "ComplianceCases",
                columns: new[] { "StationCode", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_ComplianceCases_SubjectId",
                table: "ComplianceCases",
                column: "SubjectId");

            migrationBuilder.CreateIndex(
                name: "UX_ComplianceCases_DutyKey",
                table: "ComplianceCases",
                column: "DutyKey",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ComplianceCaseEvents");

            migrationBuilder.DropTable(
                name: "ComplianceCases");

            migrationBuilder.DropIndex(
                name: "IX_Registrations_Duty",
                table: "Registrations");

            migrationBuilder.DropColumn(
                name: "RegisteredOn",
                table: "Registrations");

            migrationBuilder.DropColumn(
                name: "RegistrationDue",
                table: "Registrations");

            migrationBuilder.DropColumn(
                name: "RegistrationDutyBasis",
                table: "Registrations");

            migrationBuilder.DropColumn(
                name: "RegistrationDutyStatus",
                table: "Registrations");

            migrationBuilder.DropColumn(
                name: "RegistrationEngine",
                table: "Registrations");

            migrationBuilder.DropColumn(
                name: "RegistrationPolicies",
                table: "Registrations");
        }
    }
}
