import GRDB

/// The schema, one migration per version. Never edit a shipped migration: add the next one.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: sessions, pages, dossiers, outbox, audit log") { db in
            try db.create(table: "sessions") { t in
                t.primaryKey("id", .text)
                t.column("status", .text).notNull().indexed()
                t.column("step", .text).notNull()
                t.column("procedure_code", .text)
                // The whole FlowSession as JSON: answers, identity, page references. Personal data.
                t.column("state", .blob).notNull()
                t.column("revision", .integer).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
            }
            try db.create(table: "pages") { t in
                t.primaryKey("id", .text)
                t.column("session_id", .text).notNull().indexed().references("sessions", onDelete: .cascade)
                t.column("document_id", .text).notNull()
                t.column("format", .text).notNull()
                t.column("width", .integer).notNull()
                t.column("height", .integer).notNull()
                t.column("dpi", .integer).notNull()
                t.column("bytes", .blob).notNull()
                t.column("created_at", .datetime).notNull()
            }
            try db.create(table: "dossiers") { t in
                t.primaryKey("client_uuid", .text)
                t.column("session_id", .text).notNull().unique().references("sessions")
                t.column("procedure_code", .text).notNull()
                t.column("procedure_version", .text).notNull()
                t.column("provisional_reference", .text).notNull().unique()
                t.column("central_code", .text)
                t.column("sealed_at", .datetime).notNull()
                t.column("content", .blob).notNull()
            }
            try db.create(table: "outbox") { t in
                t.autoIncrementedPrimaryKey("id")
                // One row per dossier: the client UUID is the central system's idempotency key.
                t.column("dossier_uuid", .text).notNull().unique().references("dossiers")
                t.column("kind", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("next_attempt_at", .datetime).notNull()
                t.column("delivered_at", .datetime)
                t.column("last_error", .text)
            }
            try db.create(table: "audit_log") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull()
                t.column("session_id", .text).indexed()
                // Event names and steps only: never personal data.
                t.column("event", .text).notNull()
                t.column("step_from", .text)
                t.column("step_to", .text)
                t.column("outcome", .text).notNull()
            }
        }
        return migrator
    }
}
