import Foundation

/// Working days of a public office: Monday to Friday, less the configured public holidays.
///
/// Used to print when a result is due. Holidays (Tết, 30/4, 1/5, 2/9…) change every year by
/// government decision, so they come from configuration rather than code.
public struct WorkingCalendar: Sendable, Hashable {
    public var holidays: Set<CivilDate>

    public init(holidays: Set<CivilDate> = []) { self.holidays = holidays }

    public func isWorkingDay(_ date: CivilDate) -> Bool {
        date.weekdayIndex < 5 && !holidays.contains(date)
    }

    /// The day a result is due when the legal limit is `workingDays`, counted from the day
    /// after `received`. A limit of 0 means the same day.
    public func dueDate(receivedOn received: CivilDate, workingDays: Int) -> CivilDate {
        var date = received
        var remaining = workingDays
        while remaining > 0 {
            date = date.adding(days: 1)
            if isWorkingDay(date) { remaining -= 1 }
        }
        return date
    }

    /// The day a result is due for a dossier received at `instant`: a same-day procedure
    /// (`workingDays` 0) received on a day off, or at or after `sameDayCutoffMinutes` (Vietnam
    /// time), is due the next working day; otherwise as `dueDate(receivedOn:workingDays:)`.
    public func dueDate(receivedAt instant: Date, workingDays: Int, sameDayCutoffMinutes: Int?) -> CivilDate {
        let day = CivilDate(instant)
        guard workingDays == 0 else { return dueDate(receivedOn: day, workingDays: workingDays) }
        let late = sameDayCutoffMinutes.map { CivilDate.minutesOfDay(instant) >= $0 } ?? false
        guard late || !isWorkingDay(day) else { return day }
        return dueDate(receivedOn: day, workingDays: 1)
    }
}
