using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sojourn.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Sweep : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Registrations_LateOrOverdue",
                table: "Registrations",
                column: "RegistrationPolicies",
                filter: "\"RegistrationDutyStatus\" IN ('late', 'overdue') AND \"Status\" <> 'ended'");

            migrationBuilder.CreateIndex(
                name: "IX_Registrations_Unstamped",
                table: "Registrations",
                column: "Id",
                filter: "\"RegistrationEngine\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Registrations_LateOrOverdue",
                table: "Registrations");

            migrationBuilder.DropIndex(
                name: "IX_Registrations_Unstamped",
                table: "Registrations");
        }
    }
}
