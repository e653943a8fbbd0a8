using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sojourn.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Settle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "HolderFacts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PersonIdHmac = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PermitId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ResidenceDivisionCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: false),
                    StationCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    On = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    HukouDivisionCode = table.Column<string>(type: "TEXT", maxLength: 12, nullable: true),
                    DocumentRef = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    SupersedesId = table.Column<long>(type: "INTEGER", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    RecordedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HolderFacts", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_HolderFacts_PersonIdHmac",
                table: "HolderFacts",
                column: "PersonIdHmac");

            migrationBuilder.CreateIndex(
                name: "UX_HolderFacts_SupersedesId",
                table: "HolderFacts",
                column: "SupersedesId",
                unique: true,
                filter: "\"SupersedesId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HolderFacts");
        }
    }
}
