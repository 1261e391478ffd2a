import DeviceModel
import CSane
import Foundation
import Imaging

/// The bytes of one SANE frame with the parameters that describe them.
struct SANEFrame: Sendable {
    enum Kind: Sendable { case gray, rgb, red, green, blue }

    var kind: Kind
    var depth: Int
    var pixelsPerLine: Int
    /// Bytes per line as sent, which may include padding after the pixels.
    var bytesPerLine: Int
    var data: [UInt8]

    /// Lines actually received: a hand scanner (lines = -1) only knows at the end.
    var lines: Int { bytesPerLine > 0 ? data.count / bytesPerLine : 0 }

    init(_ p: SANE_Parameters, data: [UInt8]) {
        kind =
            switch p.format {
            case SANE_FRAME_RGB: .rgb
            case SANE_FRAME_RED: .red
            case SANE_FRAME_GREEN: .green
            case SANE_FRAME_BLUE: .blue
            default: .gray
            }
        depth = Int(p.depth)
        pixelsPerLine = Int(p.pixels_per_line)
        bytesPerLine = Int(p.bytes_per_line)
        self.data = data
    }

    init(kind: Kind, depth: Int, pixelsPerLine: Int, bytesPerLine: Int, data: [UInt8]) {
        self.kind = kind
        self.depth = depth
        self.pixelsPerLine = pixelsPerLine
        self.bytesPerLine = bytesPerLine
        self.data = data
    }

    /// The 8-bit samples of line `y`, padding dropped: one per pixel, three for RGB.
    /// 16-bit samples (machine byte order) keep their high byte; 1-bit lines expand to
    /// 0 (black, SANE's bit 1) or 255.
    func samples(line y: Int) -> ArraySlice<UInt8> {
        let channels = kind == .rgb ? 3 : 1
        let count = pixelsPerLine * channels
        let start = y * bytesPerLine
        switch depth {
        case 16:
            var out = [UInt8](repeating: 0, count: count)
            data.withUnsafeBytes { raw in
                // Machine byte order, per the SANE standard.
                for i in 0..<count { out[i] = UInt8(raw.loadUnaligned(fromByteOffset: start + 2 * i, as: UInt16.self) >> 8) }
            }
            return out[...]
        case 1:
            var out = [UInt8](repeating: 0, count: count)
            for i in 0..<count { out[i] = data[start + i / 8] & (0x80 >> UInt8(i % 8)) != 0 ? 0 : 255 }
            return out[...]
        default:
            return data[start..<(start + count)]
        }
    }

    /// One page from a single frame (grey or RGB) or three single-colour frames. An 8-bit
    /// frame without line padding (the usual case) becomes the page as it is, uncopied.
    static func page(_ frames: [SANEFrame], dpi: Int) -> Raster? {
        guard let first = frames.first, first.pixelsPerLine > 0 else { return nil }
        let width = first.pixelsPerLine
        let height = frames.map(\.lines).min() ?? 0
        guard height > 0 else { return nil }
        if frames.count == 1, first.kind == .gray, first.depth == 1 {
            // Black and white stays 1 bit per pixel: PBM rows are SANE's rows without padding.
            let rowBytes = (width + 7) / 8
            return Raster(kind: .bilevel, width: width, height: height, dpi: dpi, pixels: first.rows(height, bytes: rowBytes))
        }
        if frames.count == 1 {
            let format: Raster.Kind = first.kind == .gray ? .gray : .rgb
            let rowBytes = width * (format == .rgb ? 3 : 1)
            if first.depth == 8 {
                return Raster(kind: format, width: width, height: height, dpi: dpi, pixels: first.rows(height, bytes: rowBytes))
            }
            var pixels: [UInt8] = []
            pixels.reserveCapacity(rowBytes * height)
            for y in 0..<height { pixels.append(contentsOf: first.samples(line: y)) }
            return Raster(kind: format, width: width, height: height, dpi: dpi, pixels: pixels)
        }
        // Three-pass: one frame per colour, in whatever order the scanner sent them.
        let byKind = Dictionary(frames.map { ($0.kind, $0) }, uniquingKeysWith: { a, _ in a })
        guard let r = byKind[.red], let g = byKind[.green], let b = byKind[.blue] else { return nil }
        var pixels = [UInt8](repeating: 0, count: width * 3 * height)
        for y in 0..<height {
            let (rs, gs, bs) = (Array(r.samples(line: y)), Array(g.samples(line: y)), Array(b.samples(line: y)))
            let row = y * width * 3
            for x in 0..<width {
                pixels[row + 3 * x] = rs[x]
                pixels[row + 3 * x + 1] = gs[x]
                pixels[row + 3 * x + 2] = bs[x]
            }
        }
        return Raster(kind: .rgb, width: width, height: height, dpi: dpi, pixels: pixels)
    }

    /// The first `count` lines, `bytes` bytes of each: the frame's own buffer when it has no
    /// padding and no extra lines, else a packed copy.
    func rows(_ count: Int, bytes: Int) -> [UInt8] {
        if bytesPerLine == bytes, data.count == bytes * count { return data }
        var out: [UInt8] = []
        out.reserveCapacity(bytes * count)
        for y in 0..<count { out.append(contentsOf: data[(y * bytesPerLine)..<(y * bytesPerLine + bytes)]) }
        return out
    }
}
