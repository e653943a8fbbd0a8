using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Sojourn.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AccountApproval : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ChangeRequestedAt",
                table: "AspNetUsers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ChangeRequestedBy",
                table: "AspNetUsers",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "MustActivate",
                table: "AspNetUsers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "PendingChange",
                table: "AspNetUsers",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PendingDivisions",
                table: "AspNetUsers",
                type: "character varying(400)",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PendingRole",
                table: "AspNetUsers",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PendingStations",
                table: "AspNetUsers",
                type: "character varying(400)",
                maxLength: 400,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "IssuedBy",
                table: "ApiTokens",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Scope",
                table: "ApiTokens",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "read-write");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ChangeRequestedAt",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "ChangeRequestedBy",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "MustActivate",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "PendingChange",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "PendingDivisions",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "PendingRole",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "PendingStations",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "IssuedBy",
                table: "ApiTokens");

            migrationBuilder.DropColumn(
                name: "Scope",
                table: "ApiTokens");
        }
    }
}
