public import Foundation

/// An uncompressed page image: 8-bit grey, 8-bit RGB, or 1-bit black and white — a page as
/// a scanner delivers it and as the page pipeline takes it (one type: the pixels travel from
/// libsane to the JPEG encoder without being copied; an A4 colour page at 300 dpi is 26 MB).
/// Rows are packed as a binary PNM file holds them after its header.
public struct Raster: Sendable, Hashable {
    /// The pixel format, named by its binary PNM type (the helper protocol's word for it).
    public enum Kind: String, Sendable, Hashable, Codable {
        /// One byte per pixel, 0 black … 255 white (PGM, P5).
        case gray = "pgm"
        /// Three bytes per pixel (PPM, P6).
        case rgb = "ppm"
        /// One bit per pixel, rows padded to whole bytes, bit set = black (PBM, P4).
        case bilevel = "pbm"
    }

    public var kind: Kind
    public var width: Int
    public var height: Int
    public var dpi: Int
    public var pixels: [UInt8]

    public init(kind: Kind, width: Int, height: Int, dpi: Int, pixels: [UInt8]) {
        self.kind = kind
        self.width = width
        self.height = height
        self.dpi = dpi
        self.pixels = pixels
    }

    /// Bytes per row.
    public var rowBytes: Int {
        switch kind {
        case .gray: width
        case .rgb: width * 3
        case .bilevel: (width + 7) / 8
        }
    }

    /// The PNM header for this page's size and kind.
    public var pnmHeader: Data {
        switch kind {
        case .bilevel: Data("P4\n\(width) \(height)\n".utf8)
        case .gray: Data("P5\n\(width) \(height)\n255\n".utf8)
        case .rgb: Data("P6\n\(width) \(height)\n255\n".utf8)
        }
    }

    /// The page as a binary PNM file (a copy: for files and checks, not the scan path).
    public var pnm: Data { pnmHeader + Data(pixels) }

    /// Why image data was refused.
    public struct Malformed: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads a binary PNM file (P4, P5 or P6 with maxval 255), as scanners' drivers produce.
    public init(pnm data: Data, dpi: Int) throws(Malformed) {
        // The header is read in place; the pixels are copied once (a colour A4 page is 26 MB).
        let bytes = data
        var index = data.startIndex
        func token() throws(Malformed) -> String {
            while index < bytes.endIndex {
                if bytes[index] == UInt8(ascii: "#") {
                    while index < bytes.endIndex, bytes[index] != 0x0A { index += 1 }
                } else if [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
                    index += 1
                } else {
                    break
                }
            }
            let start = index
            while index < bytes.endIndex, ![0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
            guard index > start, index - start < 12 else { throw Malformed(description: "PNM header is truncated or garbled") }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
        let magic = try token()
        guard let width = Int(try token()), let height = Int(try token()), width > 0, height > 0, width < 100_000, height < 100_000 else {
            throw Malformed(description: "PNM size is missing or out of range")
        }
        let kind: Kind
        switch magic {
        case "P4": kind = .bilevel
        case "P5": kind = .gray
        case "P6": kind = .rgb
        default: throw Malformed(description: "not a binary PNM (P4, P5 or P6): \(magic.prefix(4))")
        }
        if kind != .bilevel {
            guard try token() == "255" else { throw Malformed(description: "only 8-bit PNM (maxval 255) is supported") }
        }
        index += 1  // the single whitespace after the header
        let raster = Raster(kind: kind, width: width, height: height, dpi: dpi, pixels: [])
        let needed = raster.rowBytes * height
        guard bytes.endIndex - index >= needed else {
            throw Malformed(description: "PNM pixel data is short: \(max(0, bytes.endIndex - index)) of \(needed) bytes")
        }
        self = raster
        pixels = [UInt8](bytes[index..<(index + needed)])
    }

    /// The grey level (0 black … 255 white) at x, y.
    public func luminance(x: Int, y: Int) -> UInt8 {
        switch kind {
        case .gray: return pixels[y * width + x]
        case .rgb:
            let i = (y * width + x) * 3
            // ITU-R BT.601 luma.
            let r: Int = 299 * Int(pixels[i])
            let g: Int = 587 * Int(pixels[i + 1])
            let b: Int = 114 * Int(pixels[i + 2])
            return UInt8((r + g + b) / 1000)
        case .bilevel:
            return pixels[y * rowBytes + x / 8] & (0x80 >> UInt8(x % 8)) != 0 ? 0 : 255
        }
    }
}
