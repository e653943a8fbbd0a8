using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sojourn.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditSequencer : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The table is rebuilt (new primary key); its triggers go first and come back below, allowing the seal.
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"TR_AuditEntries_NoUpdate\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"TR_AuditEntries_NoDelete\";");

            // SQLite cannot change a primary key in place: rebuild the table by hand (EF adds the column without a
            // rebuild). Existing entries keep their sequence numbers and get Id = Seq, so insertion order is chain order.
            migrationBuilder.Sql("""
                CREATE TABLE "ef_temp_AuditEntries" (
                    "Id" INTEGER NOT NULL CONSTRAINT "PK_AuditEntries" PRIMARY KEY AUTOINCREMENT,
                    "Seq" INTEGER NULL,
                    "At" TEXT NOT NULL,
                    "AccountId" TEXT NOT NULL,
                    "ActorRole" TEXT NOT NULL,
                    "Office" TEXT NOT NULL,
                    "Action" TEXT NOT NULL,
                    "Operation" TEXT NOT NULL,
                    "RegistrationId" TEXT NULL,
                    "PersonIdHmac" TEXT NULL,
                    "ResidenceDivisionCode" TEXT NULL,
                    "Fields" TEXT NOT NULL,
                    "Purpose" TEXT NULL,
                    "Ip" TEXT NULL,
                    "PrevHash" TEXT NULL,
                    "Hash" TEXT NULL
                );
                """);
            migrationBuilder.Sql("""
                INSERT INTO "ef_temp_AuditEntries" ("Id", "Seq", "At", "AccountId", "ActorRole", "Office", "Action", "Operation", "RegistrationId", "PersonIdHmac", "ResidenceDivisionCode", "Fields", "Purpose", "Ip", "PrevHash", "Hash")
                SELECT "Seq", "Seq", "At", "AccountId", "ActorRole", "Office", "Action", "Operation", "RegistrationId", "PersonIdHmac", "ResidenceDivisionCode", "Fields", "Purpose", "Ip", "PrevHash", "Hash" FROM "AuditEntries" ORDER BY "Seq";
                """);
            migrationBuilder.Sql("DROP TABLE \"AuditEntries\";");
            migrationBuilder.Sql("ALTER TABLE \"ef_temp_AuditEntries\" RENAME TO \"AuditEntries\";");
            migrationBuilder.Sql("CREATE INDEX \"IX_AuditEntries_AccountId_At\" ON \"AuditEntries\" (\"AccountId\", \"At\");");
            migrationBuilder.Sql("CREATE INDEX \"IX_AuditEntries_At\" ON \"AuditEntries\" (\"At\");");
            migrationBuilder.Sql("CREATE INDEX \"IX_AuditEntries_PersonIdHmac_At\" ON \"AuditEntries\" (\"PersonIdHmac\", \"At\");");

            migrationBuilder.CreateTable(
                name: "AuditSignedHeads",
                columns: table => new
                {
                    Seq = table.Column<long>(type: "INTEGER", nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    MerkleRoot = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SignedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    KeyId = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Signature = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false)
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
                CREATE TRIGGER "TR_AuditEntries_NoUpdate" BEFORE UPDATE ON "AuditEntries"
                WHEN NOT (OLD."Seq" IS NULL AND NEW."Seq" IS NOT NULL AND NEW."Hash" IS NOT NULL AND NEW."PrevHash" IS NOT NULL
                    AND OLD."Hash" IS NULL AND OLD."PrevHash" IS NULL
                    AND NEW."Id" IS OLD."Id" AND NEW."At" IS OLD."At" AND NEW."AccountId" IS OLD."AccountId" AND NEW."ActorRole" IS OLD."ActorRole" AND NEW."Office" IS OLD."Office" AND NEW."Action" IS OLD."Action" AND NEW."Operation" IS OLD."Operation" AND NEW."RegistrationId" IS OLD."RegistrationId" AND NEW."PersonIdHmac" IS OLD."PersonIdHmac" AND NEW."ResidenceDivisionCode" IS OLD."ResidenceDivisionCode" AND NEW."Fields" IS OLD."Fields" AND NEW."Purpose" IS OLD."Purpose" AND NEW."Ip" IS OLD."Ip")
                BEGIN SELECT RAISE(ABORT, 'AuditEntries is append-only'); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_AuditEntries_NoDelete" BEFORE DELETE ON "AuditEntries"
                BEGIN SELECT RAISE(ABORT, 'AuditEntries is append-only'); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_AuditSignedHeads_NoUpdate" BEFORE UPDATE ON "AuditSignedHeads"
                BEGIN SELECT RAISE(ABORT, 'AuditSignedHeads is append-only'); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_AuditSignedHeads_NoDelete" BEFORE DELETE ON "AuditSignedHeads"
                BEGIN SELECT RAISE(ABORT, 'AuditSignedHeads is append-only'); END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"TR_AuditEntries_NoUpdate\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"TR_AuditEntries_NoDelete\";");

            migrationBuilder.DropTable(
                name: "AuditSignedHeads");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_Seq",
                table: "AuditEntries");

            migrationBuilder.DropIndex(
                name: "IX_AuditEntries_Unsealed",
                table: "AuditEntries");

            // Back to Seq as the key: only sealed entries can be kept.
            migrationBuilder.Sql("""
                CREATE TABLE "ef_temp_AuditEntries" (
                    "Seq" INTEGER NOT NULL CONSTRAINT "PK_AuditEntries" PRIMARY KEY,
                    "At" TEXT NOT NULL,
                    "AccountId" TEXT NOT NULL,
                    "ActorRole" TEXT NOT NULL,
                    "Office" TEXT NOT NULL,
                    "Action" TEXT NOT NULL,
                    "Operation" TEXT NOT NULL,
                    "RegistrationId" TEXT NULL,
                    "PersonIdHmac" TEXT NULL,
                    "ResidenceDivisionCode" TEXT NULL,
                    "Fields" TEXT NOT NULL,
                    "Purpose" TEXT NULL,
                    "Ip" TEXT NULL,
                    "PrevHash" TEXT NOT NULL,
                    "Hash" TEXT NOT NULL
                );
                """);
            migrationBuilder.Sql("""
                INSERT INTO "ef_temp_AuditEntries" ("Seq", "At", "AccountId", "ActorRole", "Office", "Action", "Operation", "RegistrationId", "PersonIdHmac", "ResidenceDivisionCode", "Fields", "Purpose", "Ip", "PrevHash", "Hash")
                SELECT "Seq", "At", "AccountId", "ActorRole", "Office", "Action", "Operation", "RegistrationId", "PersonIdHmac", "ResidenceDivisionCode", "Fields", "Purpose", "Ip", "PrevHash", "Hash" FROM "AuditEntries" WHERE "Seq" IS NOT NULL ORDER BY "Seq";
                """);
            migrationBuilder.Sql("DROP TABLE \"AuditEntries\";");
            migrationBuilder.Sql("ALTER TABLE \"ef_temp_AuditEntries\" RENAME TO \"AuditEntries\";");
            migrationBuilder.Sql("CREATE INDEX \"IX_AuditEntries_AccountId_At\" ON \"AuditEntries\" (\"AccountId\", \"At\");");
            migrationBuilder.Sql("CREATE INDEX \"IX_AuditEntries_At\" ON \"AuditEntries\" (\"At\");");
            migrationBuilder.Sql("CREATE INDEX \"IX_AuditEntries_PersonIdHmac_At\" ON \"AuditEntries\" (\"PersonIdHmac\", \"At\");");

            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_AuditEntries_NoUpdate" BEFORE UPDATE ON "AuditEntries"
                BEGIN SELECT RAISE(ABORT, 'AuditEntries is append-only'); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "TR_AuditEntries_NoDelete" BEFORE DELETE ON "AuditEntries"
                BEGIN SELECT RAISE(ABORT, 'AuditEntries is append-only'); END;
                """);
        }
    }
}
