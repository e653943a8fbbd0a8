using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Sojourn.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AuditSequencer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Sealing is the one update allowed below; the old trigger refused every update.
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"TR_AuditEntries_NoUpdateDelete\" ON \"AuditEntries\";");

            migrationBuilder.DropPrimaryKey(
                name: "PK_AuditEntries",
                table: "AuditEntries");

            migrationBuilder.AlterColumn<string>(
                name: "PrevHash",
                table: "AuditEntries",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(64)",
                oldMaxLength: 64);

            migrationBuilder.AlterColumn<string>(
                name: "Hash",
                table: "AuditEntries",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(64)",
                oldMaxLength: 64);

            migrationBuilder.AlterColumn<long>(
                name: "Seq",
                table: "AuditEntries",
                type: "bigint",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "bigint");

            migrationBuilder.AddColumn<long>(
                name: "Id",
                table: "AuditEntries",
                type: "bigint",
                nullable: false)
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);

            migrationBuilder.AddPrimaryKey(
                name: "PK_AuditEntries",
                table: "AuditEntries",
                column: "Id");

            migrationBuilder.CreateTable(
                name: "AuditSignedHeads",
                columns: table => new
                {
                    Seq = table.Column<long>(type: "bigint", nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    MerkleRoot = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SignedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    KeyId = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Signature = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditSignedHeads", x => x.Seq);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_Seq",
                table: "AuditEntries",
                column: "Seq",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_Unsealed",
                table: "AuditEntries",
                column: "Id",
                filter: "\"Seq\" IS NULL");

            // Append-only, except that the sequencer may seal an unsealed entry once: set Seq, PrevHash and Hash,
            // change nothing else (docs/adr/0006-audit-log-sequencer.md).
            migrationBuilder.Sql("""
                CREATE FUNCTION sojourn_audit_seal_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'UPDATE' AND OLD."Seq" IS NULL AND NEW."Seq" IS NOT NULL AND NEW."Hash" IS NOT NULL
                       AND NEW."PrevHash" IS NOT NULL AND OLD."Hash" IS NULL AND OLD."PrevHash" IS NULL
                       AND NEW."Id" IS NOT DISTINCT FROM OLD."Id" AND NEW."At" IS NOT DISTINCT FROM OLD."At" AND NEW."AccountId" IS NOT DISTINCT FROM OLD."AccountId" AND NEW."ActorRole" IS NOT DISTINCT FROM OLD."ActorRole" AND NEW."Office" IS NOT DISTINCT FROM OLD."Office" AND NEW."Action" IS NOT DISTINCT FROM OLD."Action" AND NEW."Operation" IS NOT DISTINCT FROM OLD."Operation" AND NEW."RegistrationId" IS NOT DISTINCT FROM OLD."RegistrationId" AND NEW."PersonIdHmac" IS NOT DISTINCT FROM OLD."PersonIdHmac" AND NEW."ResidenceDivisionCode" IS NOT DISTINCT FROM OLD."ResidenceDivisionCode" AND NEW."Fields" IS NOT DISTINCT FROM OLD."Fields" AND NEW."Purpose" IS NOT DISTINCT FROM OLD."Purpose" AND NEW."Ip" IS NOT DISTINCT FROM OLD."Ip" THEN
                        RETURN NEW;
                    END IF;
                    RAISE EXCEPTION 'AuditEntries is append-only';
                END;
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_AuditEntries_NoUpdateDelete" BEFORE UPDATE OR DELETE ON "AuditEntries"
                FOR EACH ROW EXECUTE FUNCTION sojourn_audit_seal_only();
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_AuditSignedHeads_NoUpdateDelete" BEFORE UPDATE OR DELETE ON "AuditSignedHeads"
                FOR EACH ROW EXECUTE FUNCTION sojourn_audit_append_only();
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_AuditSignedHeads_NoTruncate" BEFORE TRUNCATE ON "AuditSignedHeads"
                FOR EACH STATEMENT EXECUTE FUNCTION sojourn_audit_append_only();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"TR_AuditEntries_NoUpdateDelete\" ON \"AuditEntries\";");
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS sojourn_audit_seal_only();");

            migrationBuilder.DropTable(
                name: "AuditSignedHeads");

            migrationBuilder.DropPrimaryKey(
                name: "PK_AuditEntries",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_Seq",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_Unsealed",
                table: "AuditEntries");

            migrationBuilder.DropColumn(
                name: "Id",
                table: "AuditEntries");

            migrationBuilder.AlterColumn<long>(
                name: "Seq",
                table: "AuditEntries",
                type: "bigint",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "bigint",
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "PrevHash",
                table: "AuditEntries",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "character varying(64)",
                oldMaxLength: 64,
                oldNullable: true);

            migrationBuilder.AlterColumn<string>(
                name: "Hash",
                table: "AuditEntries",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "character varying(64)",
                oldMaxLength: 64,
                oldNullable: true);

            migrationBuilder.AddPrimaryKey(
                name: "PK_AuditEntries",
                table: "AuditEntries",
                column: "Seq");

            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_AuditEntries_NoUpdateDelete" BEFORE UPDATE OR DELETE ON "AuditEntries"
                FOR EACH ROW EXECUTE FUNCTION sojourn_audit_append_only();
                """);
        }
    }
}
