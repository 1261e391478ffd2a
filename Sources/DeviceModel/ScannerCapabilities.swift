/// What a scanner can do, in our terms and in its own: the technician's self-test checks a
/// device against the kiosk's scan profiles with it.
public struct ScannerCapabilities: Codable, Sendable, Hashable {
    /// The device's name (as `scanimage -L` lists it).
    public var device: String
    /// Sources as the device names them, and which of them each of ours maps onto
    /// (absent: the device has no such source).
    public var deviceSources: [String]
    public var sources: [String: String]
    /// Modes as the device names them, and the mapping of ours.
    public var deviceModes: [String]
    public var modes: [String: String]
    /// Resolutions: a range (with its step) or a list, in dpi.
    public var resolutionRange: [Double]?
    public var resolutionList: [Double]?
    /// The largest scan area, millimetres.
    public var maxWidthMM: Double?
    public var maxHeightMM: Double?

    public init(
        device: String, deviceSources: [String], sources: [String: String], deviceModes: [String], modes: [String: String],
        resolutionRange: [Double]?, resolutionList: [Double]?, maxWidthMM: Double?, maxHeightMM: Double?
    ) {
        self.device = device
        self.deviceSources = deviceSources
        self.sources = sources
        self.deviceModes = deviceModes
        self.modes = modes
        self.resolutionRange = resolutionRange
        self.resolutionList = resolutionList
        self.maxWidthMM = maxWidthMM
        self.maxHeightMM = maxHeightMM
    }

    /// True when the device scans at exactly `dpi` (what it cannot do exactly, it rounds).
    public func supports(dpi: Int) -> Bool {
        let value = Double(dpi)
        if let list = resolutionList { return list.contains(value) }
        if let range = resolutionRange, range.count >= 2 {
            guard value >= range[0], value <= range[1] else { return false }
            let step = range.count > 2 ? range[2] : 0
            return step <= 0 || (value - range[0]).truncatingRemainder(dividingBy: step) == 0
        }
        return resolutionList == nil && resolutionRange == nil  // no resolution option: fixed, unknown
    }

    /// True when `paper` fits the scan area (unknown area: assumed to fit).
    public func fits(_ paper: ScanRequest.Paper) -> Bool {
        let size = paper.millimetres
        return (maxWidthMM.map { $0 + 0.5 >= size.width } ?? true) && (maxHeightMM.map { $0 + 0.5 >= size.height } ?? true)
    }
}
