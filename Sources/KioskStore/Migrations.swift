import GRDB
import Imaging

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
        migrator.registerMigration("v2: pages hold compressed images; one PDF per dossier document") { db in
            // Pages were raw PNM (26 MB for a colour A4 page at 300 dpi): compress those kept.
            try db.alter(table: "pages") { t in t.add(column: "quality", .integer) }
            let raw = try Row.fetchAll(db, sql: "SELECT id, dpi, bytes FROM pages WHERE format IN ('pgm', 'ppm', 'pbm')")
            for row in raw {
                let id: String = row["id"]
                guard let raster = try? Raster(pnm: row["bytes"], dpi: row["dpi"]), let page = try? PageEncoder(maxPageBytes: .max).encode(raster)
                else {
                    continue  // unreadable: found and reported when its dossier is sealed
                }
                try db.execute(
                    sql: "UPDATE pages SET format = ?, width = ?, height = ?, quality = ?, bytes = ? WHERE id = ?",
                    arguments: [StoredFormat(page).rawValue, page.width, page.height, page.quality, page.data, id])
            }
            try db.create(table: "dossier_files") { t in
                t.column("dossier_uuid", .text).notNull().references("dossiers")
                t.column("document_id", .text).notNull()
                t.column("pdf", .blob).notNull()
                t.column("bytes", .integer).notNull()
                t.column("pages", .integer).notNull()
                t.primaryKey(["dossier_uuid", "document_id"])
            }
        }
        migrator.registerMigration("v3: queue tickets") { db in
            try db.create(table: "queue_tickets") { t in
                t.column("queue", .text).notNull()
                t.column("day", .text).notNull()
                t.column("number", .integer).notNull()
                t.column("priority", .text).notNull()
                t.column("issued_at", .datetime).notNull()
                t.column("called_at", .datetime)
                t.primaryKey(["queue", "day", "number"])
            }
        }
        migrator.registerMigration("v4: print journal") { db in
            // A session's print job handed to the printer whose end is not yet known: kept
            // until it completes, so that a restart asks the printer instead of printing twice.
            try db.create(table: "print_journal") { t in
                t.column("session_id", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("job_reference", .text).notNull()
                t.column("recorded_at", .datetime).notNull()
                t.primaryKey(["session_id", "kind"])
            }
        }
        migrator.registerMigration("v5: pages of sealed dossiers go") { db in
            // Sealing now removes them; a store sealed before keeps none either.
            try db.execute(sql: "DELETE FROM pages WHERE session_id IN (SELECT session_id FROM dossiers)")
        }
        migrator.registerMigration("v6: the central link and the outbox's delivery state") { db in
            // One row: the central this kiosk is enrolled with, the key it pinned, and what the
            // link must remember across restarts (heartbeat sequence, last command handled).
            try db.create(table: "central_link") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("central_url", .text).notNull()
                t.column("kiosk_id", .text).notNull()
                t.column("central_key", .text).notNull()
                t.column("receiving_unit", .text).notNull()
                t.column("enrolled_at", .datetime).notNull()
                t.column("heartbeat_sequence", .integer).notNull().defaults(to: 0)
                t.column("last_command_id", .integer).notNull().defaults(to: 0)
            }
            // What became of each command from the central, until a heartbeat has carried it.
            try db.create(table: "command_results") { t in
                t.primaryKey("id", .integer)
                t.column("outcome", .text).notNull()
                t.column("detail", .text).notNull()
                t.column("finished_at", .datetime).notNull()
                t.column("reported", .boolean).notNull().defaults(to: false)
            }
            // Switches that outlive a restart (maintenance mode).
            try db.create(table: "kiosk_flags") { t in
                t.primaryKey("name", .text)
                t.column("value", .text).notNull()
            }
            try db.alter(table: "outbox") { t in
                // Made at the first attempt and kept: every retry sends the same bytes.
                t.add(column: "manifest", .blob)
                t.add(column: "manifest_sha256", .text)
                t.add(column: "quarantined_at", .datetime)
            }
        }
        return migrator
    }
}

/// How a page's image is stored: the compression and the colour of an `EncodedPage`.
enum StoredFormat: String {
    case jpegGray = "jpeg-gray"
    case jpegRGB = "jpeg-rgb"
    case flateBilevel = "flate-bilevel"
    case flateGray = "flate-gray"
    case flateRGB = "flate-rgb"

    init(_ page: EncodedPage) {
        switch (page.filter, page.kind) {
        case (.dct, .rgb): self = .jpegRGB
        case (.dct, _): self = .jpegGray
        case (.flate, .bilevel): self = .flateBilevel
        case (.flate, .gray): self = .flateGray
        case (.flate, .rgb): self = .flateRGB
        }
    }

    var filter: EncodedPage.Filter {
        switch self {
        case .jpegGray, .jpegRGB: .dct
        case .flateBilevel, .flateGray, .flateRGB: .flate
        }
    }

    var kind: Raster.Kind {
        switch self {
        case .jpegGray, .flateGray: .gray
        case .jpegRGB, .flateRGB: .rgb
        case .flateBilevel: .bilevel
        }
    }
}
