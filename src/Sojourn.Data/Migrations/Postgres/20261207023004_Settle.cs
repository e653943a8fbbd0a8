using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Sojourn.Data.Migrations.Postgres
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PersonIdHmac = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PermitId = table.Column<Guid>(type: "uuid", nullable: false),
                    ResidenceDivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    StationCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: true),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    On = table.Column<DateOnly>(type: "date", nullable: false),
                    HukouDivisionCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: true),
                    DocumentRef = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    SupersedesId = table.Column<long>(type: "bigint", nullable: true),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    RecordedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    RecordedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RecordedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
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
