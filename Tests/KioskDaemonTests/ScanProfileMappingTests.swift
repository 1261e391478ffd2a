import Devices
import Flows
import Testing

@testable import KioskDaemon

/// Every scan profile the catalog can name becomes the same request for the scanner.
@Suite struct ScanProfileMappingTests {
    @Test func everyProfileMapsOntoTheScannersRequest() {
        for source in ScanProfile.Source.allCases {
            for mode in ScanProfile.Mode.allCases {
                for paper in ScanProfile.Paper.allCases {
                    let request = ScanRequest(ScanProfile(source: source, mode: mode, dpi: 300, paper: paper))
                    #expect(
                        request.source.rawValue == source.rawValue && request.mode.rawValue == mode.rawValue
                            && request.paper.rawValue == paper.rawValue && request.dpi == 300)
                }
            }
        }
        #expect(
            ScanRequest.Source.allCases.count == ScanProfile.Source.allCases.count
                && ScanRequest.Paper.allCases.count == ScanProfile.Paper.allCases.count, "no scanner choice the catalog cannot name")
    }
}
