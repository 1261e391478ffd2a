import GRDB

/// The central's schema, one migration per version. Never edit a shipped migration.
enum CentralSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: kiosks, tokens, nonces, dossiers, files, codes, commands") { db in
            try db.create(table: "enrolment_tokens") { t in
                // SHA-256 of the token: the token itself is shown once, to the person who made it.
                t.primaryKey("token_sha256", .text)
                t.column("kiosk_id", .text)
                t.column("receiving_unit", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("expires_at", .datetime).notNull()
                t.column("used_at", .datetime)
                t.column("used_by", .text)
            }
            try db.create(table: "kiosks") { t in
                t.primaryKey("kiosk_id", .text)
                t.column("public_key", .text).notNull().unique()
                t.column("receiving_unit", .text).notNull()
                t.column("enrolled_at", .datetime).notNull()
                t.column("revoked_at", .datetime)
                t.column("last_seen", .datetime)
                t.column("last_sequence", .integer)
                t.column("went_offline", .boolean).notNull().defaults(to: false)
                t.column("clock_skew", .double)
                // The last heartbeat, as sent (no personal data in a heartbeat).
                t.column("heartbeat", .blob)
            }
            try db.create(table: "nonces") { t in
                t.column("kiosk_id", .text).notNull()
                t.column("nonce", .text).notNull()
                t.column("seen_at", .datetime).notNull().indexed()
                t.primaryKey(["kiosk_id", "nonce"])
            }
            try db.create(table: "dossiers") { t in
                // The client UUID is unique here, in the database: two racing intakes of one
                // dossier cannot both insert (never check-then-insert).
                t.primaryKey("client_uuid", .text)
                t.column("kiosk_id", .text).notNull().indexed()
                t.column("manifest_sha256", .text).notNull()
                t.column("manifest", .blob).notNull()
                t.column("procedure_code", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("received_at", .datetime)
                t.column("central_code", .text).unique()
            }
            try db.create(table: "dossier_files") { t in
                t.column("client_uuid", .text).notNull().references("dossiers")
                t.column("name", .text).notNull()
                t.column("sha256", .text).notNull()
                t.column("bytes", .integer).notNull()
                t.column("media_type", .text).notNull()
                t.column("complete", .boolean).notNull().defaults(to: false)
                t.primaryKey(["client_uuid", "name"])
            }
            try db.create(table: "code_counters") { t in
                t.column("unit", .text).notNull()
                t.column("day", .text).notNull()
                t.column("last", .integer).notNull()
                t.primaryKey(["unit", "day"])
            }
            try db.create(table: "commands") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kiosk_id", .text).notNull().indexed()
                t.column("kind", .text).notNull()
                t.column("arguments", .blob).notNull()
                t.column("issued_at", .datetime).notNull()
                t.column("outcome", .text)
                t.column("detail", .text)
                t.column("finished_at", .datetime)
            }
        }
        migrator.registerMigration("v2: catalog bundles and diagnostics bundles") { db in
            try db.create(table: "catalog_bundles") { t in
                // The signed payload's SHA-256: what a catalog.update command names.
                t.primaryKey("sha256", .text)
                t.column("label", .text).notNull()
                t.column("payload", .blob).notNull()
                t.column("signature", .blob).notNull()
                t.column("published_at", .datetime).notNull()
            }
            try db.create(table: "diagnostics") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kiosk_id", .text).notNull().indexed()
                t.column("command_id", .integer)
                t.column("received_at", .datetime).notNull()
                // As the kiosk sent it: versions, devices, recent log lines (no personal data).
                t.column("bundle", .blob).notNull()
            }
        }
        return migrator
    }
}
