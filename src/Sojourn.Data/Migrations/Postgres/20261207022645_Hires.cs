using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sojourn.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Hires : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Record_EmployerCode",
                table: "RegistrationVersions",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "Record_HiredOn",
                table: "RegistrationVersions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "EmployerCode",
                table: "Registrations",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "HiredOn",
                table: "Registrations",
                type: "date",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Registrations_Employer",
                table: "Registrations",
                column: "EmployerCode",
                filter: "\"EmployerCode\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Registrations_Employer",
                table: "Registrations");

            migrationBuilder.DropColumn(
                name: "Record_EmployerCode",
                table: "RegistrationVersions");

            migrationBuilder.DropColumn(
                name: "Record_HiredOn",
                table: "RegistrationVersions");

            migrationBuilder.DropColumn(
                name: "EmployerCode",
                table: "Registrations");

            migrationBuilder.DropColumn(
                name: "HiredOn",
                table: "Registrations");
        }
    }
}
