import DeviceModel
import CSane
import Foundation

/// One open SANE device. Every method must be called on `SANELibrary.executor`, except
/// `requestCancel()`, which SANE allows from any thread.
///
/// `@unchecked Sendable`: a C handle that a cancellation on another thread must reach; the
/// one state it shares across threads, `cancelRequested`, is guarded by `lock`.
final class SANEHandle: @unchecked Sendable {
    let name: String
    let raw: SANE_Handle
    private let lock = NSLock()
    private var requested = false

    /// Opens `name`; throws the mapped failure when the device is absent or refuses.
    init(name: String) throws(DeviceFailure) {
        var handle: SANE_Handle?
        let status = sane_open(name, &handle)
        guard status == SANE_STATUS_GOOD, let handle else {
            var failure = SANEStatus.failure(status, during: "sane_open(\(name))")
            failure.state = .noDevice
            throw failure
        }
        self.name = name
        raw = handle
    }

    func close() { sane_close(raw) }

    /// Ends the current batch (on the executor).
    func cancel() { sane_cancel(raw) }

    /// The caller's cancellation, from any thread: remembered, and the blocking read ends.
    func requestCancel() {
        lock.withLock { requested = true }
        sane_cancel(raw)
    }

    /// Whether the caller asked to cancel since `resetCancel()`.
    var cancelRequested: Bool { lock.withLock { requested } }
    func resetCancel() { lock.withLock { requested = false } }

    /// The option descriptors as the backend reports them now (they change when other
    /// options are set: re-read after every change).
    func options() -> [String: SANEOption] {
        var count: SANE_Int = 0
        guard sane_control_option(raw, 0, SANE_ACTION_GET_VALUE, &count, nil) == SANE_STATUS_GOOD else { return [:] }
        var result: [String: SANEOption] = [:]
        for index in 1..<max(1, count) {
            guard let d = sane_get_option_descriptor(raw, index)?.pointee, let namePointer = d.name else { continue }
            let name = String(cString: namePointer)
            guard !name.isEmpty else { continue }
            var constraint = SANEOption.Constraint.none
            switch d.constraint_type {
            case SANE_CONSTRAINT_RANGE:
                if let r = d.constraint.range?.pointee {
                    let v = { (w: SANE_Word) in d.type == SANE_TYPE_FIXED ? csane_unfix(w) : Double(w) }
                    constraint = .range(min: v(r.min), max: v(r.max), quant: v(r.quant))
                }
            case SANE_CONSTRAINT_WORD_LIST:
                if let list = d.constraint.word_list {
                    let n = Int(list[0])
                    constraint = .words((0..<n).map { d.type == SANE_TYPE_FIXED ? csane_unfix(list[$0 + 1]) : Double(list[$0 + 1]) })
                }
            case SANE_CONSTRAINT_STRING_LIST:
                if let list = d.constraint.string_list {
                    var strings: [String] = []
                    var i = 0
                    while let s = list[i] {
                        strings.append(String(cString: s))
                        i += 1
                    }
                    constraint = .strings(strings)
                }
            default: break
            }
            result[name] = SANEOption(
                index: index, name: name, type: d.type, unit: d.unit, size: d.size,
                active: d.cap & SANE_Int(SANE_CAP_INACTIVE) == 0,
                settable: d.cap & SANE_Int(SANE_CAP_SOFT_SELECT) != 0, constraint: constraint)
        }
        return result
    }

    /// Sets option `name`, fitting `value` to the option's constraint (nearest allowed
    /// number, exact string). Returns the value the backend kept.
    @discardableResult
    func set(_ name: String, _ value: SANEValue) throws(DeviceFailure) -> SANEValue {
        guard let option = options()[name], option.active, option.settable else {
            throw DeviceFailure(
                state: .hardwareError,
                notice: SANEStatus.technician("scanner.option_unavailable", "option \(name) is absent or inactive on \(self.name)"))
        }
        var info: SANE_Int = 0
        let status: SANE_Status
        switch (option.type, value) {
        case (SANE_TYPE_STRING, .string(let text)):
            // A string list allows only its own strings; an unconstrained string (a file name)
            // takes any text that fits the option's size.
            var match = text
            if case .strings(let allowed) = option.constraint {
                guard let listed = allowed.first(where: { $0.caseInsensitiveCompare(text) == .orderedSame }) else {
                    throw DeviceFailure(
                        state: .hardwareError,
                        notice: SANEStatus.technician("scanner.option_value", "\(name) does not accept \"\(text)\"; it takes \(allowed)"))
                }
                match = listed
            }
            guard match.utf8.count < Int(option.size) else {
                throw DeviceFailure(
                    state: .hardwareError, notice: SANEStatus.technician("scanner.option_value", "\(name) takes at most \(option.size - 1) bytes"))
            }
            var buffer = [CChar](repeating: 0, count: Int(option.size))
            _ = match.withCString { strncpy(&buffer, $0, buffer.count - 1) }
            status = sane_control_option(raw, option.index, SANE_ACTION_SET_VALUE, &buffer, &info)
        case (SANE_TYPE_BOOL, .bool(let flag)):
            var word: SANE_Word = flag ? SANE_TRUE : SANE_FALSE
            status = sane_control_option(raw, option.index, SANE_ACTION_SET_VALUE, &word, &info)
        case (SANE_TYPE_INT, .number(let number)), (SANE_TYPE_FIXED, .number(let number)):
            let fitted = option.constraint.fit(number)
            var word: SANE_Word = option.type == SANE_TYPE_FIXED ? csane_fix(fitted) : SANE_Word(fitted.rounded())
            status = sane_control_option(raw, option.index, SANE_ACTION_SET_VALUE, &word, &info)
        default:
            throw DeviceFailure(state: .hardwareError, notice: SANEStatus.technician("scanner.option_type", "\(name) has another type than \(value)"))
        }
        guard status == SANE_STATUS_GOOD else { throw SANEStatus.failure(status, during: "setting \(name)") }
        return get(name) ?? value
    }

    /// The current value of option `name`.
    func get(_ name: String) -> SANEValue? {
        guard let option = options()[name], option.active else { return nil }
        switch option.type {
        case SANE_TYPE_INT, SANE_TYPE_FIXED, SANE_TYPE_BOOL:
            var word: SANE_Word = 0
            guard option.size == MemoryLayout<SANE_Word>.size,
                sane_control_option(raw, option.index, SANE_ACTION_GET_VALUE, &word, nil) == SANE_STATUS_GOOD
            else { return nil }
            if option.type == SANE_TYPE_BOOL { return .bool(word == SANE_TRUE) }
            return .number(option.type == SANE_TYPE_FIXED ? csane_unfix(word) : Double(word))
        case SANE_TYPE_STRING:
            var buffer = [CChar](repeating: 0, count: Int(option.size) + 1)
            guard sane_control_option(raw, option.index, SANE_ACTION_GET_VALUE, &buffer, nil) == SANE_STATUS_GOOD else { return nil }
            return .string(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        default:
            return nil
        }
    }
}

/// A SANE option's descriptor, as far as the driver uses it.
struct SANEOption: Sendable {
    enum Constraint: Sendable, Equatable {
        case none
        case range(min: Double, max: Double, quant: Double)
        case words([Double])
        case strings([String])

        /// The allowed number nearest to `value`.
        func fit(_ value: Double) -> Double {
            switch self {
            case .range(let low, let high, let quant):
                var v = Swift.min(Swift.max(value, low), high)
                if quant > 0 { v = low + ((v - low) / quant).rounded() * quant }
                return Swift.min(v, high)
            case .words(let words):
                return words.min { abs($0 - value) < abs($1 - value) } ?? value
            case .none, .strings:
                return value
            }
        }

        var strings: [String] {
            if case .strings(let list) = self { return list }
            return []
        }
    }

    var index: SANE_Int
    var name: String
    var type: SANE_Value_Type
    var unit: SANE_Unit
    var size: SANE_Int
    var active: Bool
    var settable: Bool
    var constraint: Constraint
}

/// A value to set: SANE's int and fixed types are both numbers here.
enum SANEValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)

    /// Reads a configuration value: `yes`/`no`/`true`/`false`, a number, or text.
    init(configText text: String) {
        switch text.lowercased() {
        case "yes", "true": self = .bool(true)
        case "no", "false": self = .bool(false)
        default: self = Double(text).map(SANEValue.number) ?? .string(text)
        }
    }
}
