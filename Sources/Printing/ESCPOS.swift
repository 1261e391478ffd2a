public import Foundation

/// ESC/POS for thermal receipt printers: the printout as a raster (`GS v 0`) sent in bands,
/// then a feed and a cut. Raster rather than text: every Vietnamese diacritic is exact, with
/// no code page to guess.
public enum ESCPOS {
    /// Printable width in dots at 203 dpi: 58 mm paper takes 384, 80 mm takes 576.
    public enum Paper: String, Sendable, CaseIterable {
        case mm58 = "58mm"
        case mm80 = "80mm"

        public var dots: Int { self == .mm58 ? 384 : 576 }
    }

    /// ESC @: reset the printer.
    public static let initialize = Data([0x1B, 0x40])
    /// ESC d 4 then GS V 66 0: feed past the cutter and cut (partial cut, leaving a tab).
    public static let feedAndCut = Data([0x1B, 0x64, 0x04, 0x1D, 0x56, 0x42, 0x00])

    /// The job for `raster`: init, then `GS v 0` bands of at most `bandHeight` rows (small
    /// printers have small buffers), then feed and cut.
    public static func job(_ raster: MonoRaster, bandHeight: Int = 128, cut: Bool = true) -> Data {
        var out = initialize
        let rowBytes = raster.rowBytes
        var top = 0
        while top < raster.height {
            let rows = min(bandHeight, raster.height - top)
            out.append(contentsOf: [
                0x1D, 0x76, 0x30, 0x00,
                UInt8(rowBytes & 0xFF), UInt8(rowBytes >> 8), UInt8(rows & 0xFF), UInt8(rows >> 8),
            ])
            out.append(contentsOf: raster.bits[(top * rowBytes)..<((top + rows) * rowBytes)])
            top += rows
        }
        if cut { out.append(feedAndCut) }
        return out
    }
}
