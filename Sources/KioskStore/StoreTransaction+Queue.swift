public import Flows
public import Foundation
import GRDB

/// Queue tickets: numbered per queue and day; priority tickets are called first.
extension StoreTransaction {
    /// Issues the next number of `queue` for `day` (the kiosk's local date, `yyyy-MM-dd`) and
    /// says how many waiting tickets will be called before it.
    public func issueTicket(queue: String, priority: QueueTicket.Priority, day: String, at time: Date) throws -> (number: Int, peopleAhead: Int) {
        let last = try Int.fetchOne(db, sql: "SELECT MAX(number) FROM queue_tickets WHERE queue = ? AND day = ?", arguments: [queue, day]) ?? 0
        let ahead =
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM queue_tickets WHERE queue = ? AND day = ? AND called_at IS NULL
                    AND (? = 0 OR priority != 'normal')
                    """, arguments: [queue, day, priority.isPriority ? 1 : 0]) ?? 0
        try db.execute(
            sql: "INSERT INTO queue_tickets (queue, day, number, priority, issued_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [queue, day, last + 1, priority.rawValue, time])
        return (last + 1, ahead)
    }

    /// Calls the next waiting ticket of `queue` on `day`: the oldest priority ticket, else the
    /// oldest one. Nil when nobody is waiting.
    public func callNextTicket(queue: String, day: String, at time: Date) throws -> (number: Int, priority: QueueTicket.Priority)? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT number, priority FROM queue_tickets WHERE queue = ? AND day = ? AND called_at IS NULL
                    ORDER BY (priority = 'normal'), number LIMIT 1
                    """, arguments: [queue, day])
        else { return nil }
        let number: Int = row["number"]
        try db.execute(
            sql: "UPDATE queue_tickets SET called_at = ? WHERE queue = ? AND day = ? AND number = ?",
            arguments: [time, queue, day, number])
        return (number, QueueTicket.Priority(rawValue: row["priority"]) ?? .normal)
    }
}
