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
}
