using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sojourn.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditMerkleNodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditMerkleNodes",
                columns: table => new
                {
                    Level = table.Column<int>(type: "INTEGER", nullable: false),
                    Index = table.Column<long>(type: "INTEGER", nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditMerkleNodes", x => new { x.Level, x.Index });
                });

            // Append-only like the signed heads.
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_AuditMerkleNodes_NoUpdate" BEFORE UPDATE ON "AuditMerkleNodes"
                BEGIN SELECT RAISE(ABORT, 'AuditMerkleNodes is append-only'); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_AuditMerkleNodes_NoDelete" BEFORE DELETE ON "AuditMerkleNodes"
                BEGIN SELECT RAISE(ABORT, 'AuditMerkleNodes is append-only'); END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditMerkleNodes");
        }
    }
}
