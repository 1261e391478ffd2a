public import Foundation

/// One page ready for the PDF: its compressed image and what the PDF must say about it.
public struct EncodedPage: Sendable, Hashable {
    public enum Filter: String, Sendable, Hashable {
        case dct = "DCTDecode"
        case flate = "FlateDecode"
    }

    public var width: Int
    public var height: Int
    public var dpi: Int
    public var kind: Raster.Kind
    public var filter: Filter
    /// JPEG quality used, nil for lossless.
    public var quality: Int?
    public var data: Data
}

/// Compresses a page within a size limit: JPEG for grey and colour, stepping the quality
/// down until the page fits; lossless Flate for black and white.
public struct PageEncoder: Sendable {
    /// Largest page the dossier accepts, in bytes (default 1 MB).
    public var maxPageBytes: Int
    /// JPEG qualities tried in order, best first.
    public var qualities: [Int]

    public init(maxPageBytes: Int = 1_000_000, qualities: [Int] = [80, 70, 60, 50, 40]) {
        self.maxPageBytes = maxPageBytes
        self.qualities = qualities
    }

    /// A page that does not fit even at the lowest quality.
    public struct TooLarge: Error, CustomStringConvertible {
        public var bytes: Int
        public var limit: Int
        public var description: String { "page is \(bytes) bytes at the lowest quality; the limit is \(limit)" }
    }

    public func encode(_ raster: Raster) throws -> EncodedPage {
        if raster.kind == .bilevel {
            guard let data = Deflate.compress(raster.pixels) else { throw Raster.Malformed(description: "deflate failed") }
            guard data.count <= maxPageBytes else { throw TooLarge(bytes: data.count, limit: maxPageBytes) }
            return EncodedPage(width: raster.width, height: raster.height, dpi: raster.dpi, kind: .bilevel, filter: .flate, quality: nil, data: data)
        }
        let encoder = try JPEGEncoder()
        var smallest = Int.max
        for quality in qualities {
            let data = try encoder.encode(raster, quality: quality)
            if data.count <= maxPageBytes {
                return EncodedPage(width: raster.width, height: raster.height, dpi: raster.dpi, kind: raster.kind, filter: .dct, quality: quality, data: data)
            }
            smallest = min(smallest, data.count)
        }
        throw TooLarge(bytes: smallest, limit: maxPageBytes)
    }
}
