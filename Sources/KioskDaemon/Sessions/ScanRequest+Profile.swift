import Devices
import Flows

/// The catalog's scan profile as the scanner's request. Exhaustive switches, not raw-value
/// look-ups with a default: a profile the scanner model cannot express fails to compile
/// instead of silently scanning something else.
extension ScanRequest {
    init(_ profile: ScanProfile) {
        let source: Source =
            switch profile.source {
            case .flatbed: .flatbed
            case .feeder: .feeder
            case .duplex: .duplex
            }
        let mode: Mode =
            switch profile.mode {
            case .color: .color
            case .gray: .gray
            case .blackAndWhite: .blackAndWhite
            }
        let paper: Paper =
            switch profile.paper {
            case .a4: .a4
            case .a5: .a5
            case .idCard: .idCard
            }
        self.init(source: source, mode: mode, dpi: profile.dpi, paper: paper)
    }
}
