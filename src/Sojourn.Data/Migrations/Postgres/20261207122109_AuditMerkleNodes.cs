using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sojourn.Data.Migrations.Postgres
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
                    Level = table.Column<int>(type: "integer", nullable: false),
                    Index = table.Column<long>(type: "bigint", nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditMerkleNodes", x => new { x.Level, x.Index });
                });

            // Append-only like the signed heads (the function comes from the AccessAndAudit migration).
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_AuditMerkleNodes_NoUpdateDelete" BEFORE UPDATE OR DELETE ON "AuditMerkleNodes"
                FOR EACH ROW EXECUTE FUNCTION sojourn_audit_append_only();
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_AuditMerkleNodes_NoTruncate" BEFORE TRUNCATE ON "AuditMerkleNodes"
                FOR EACH STATEMENT EXECUTE FUNCTION sojourn_audit_append_only();
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
