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

    public init(width: Int, height: Int, dpi: Int, kind: Raster.Kind, filter: Filter, quality: Int?, data: Data) {
        self.width = width
        self.height = height
        self.dpi = dpi
        self.kind = kind
        self.filter = filter
        self.quality = quality
        self.data = data
    }
}

extension EncodedPage {
    /// The page's pixels again, decompressed (JPEG: as that quality left them).
    public func decoded() throws -> Raster {
        switch filter {
        case .dct:
            let raster = try JPEGDecoder().decode(data, dpi: dpi)
            guard raster.width == width, raster.height == height, raster.kind == kind else {
                throw Raster.Malformed(description: "the JPEG is \(raster.width)×\(raster.height), the page \(width)×\(height)")
            }
            return raster
        case .flate:
            var raster = Raster(kind: kind, width: width, height: height, dpi: dpi, pixels: [])
            guard let pixels = Deflate.decompress(data, count: raster.rowBytes * height) else {
                throw Raster.Malformed(description: "the page's Flate data does not inflate to \(width)×\(height)")
            }
            raster.pixels = pixels
            return raster
        }
    }
}

/// Compresses a page within a size limit: JPEG for grey and colour, stepping the quality
/// down until the page fits; lossless Flate for black and white.
public struct PageEncoder: Sendable {
    /// Largest page the dossier accepts, in bytes (default 1 MB).
    public var maxPageBytes: Int
    /// JPEG qualities tried in order, best first.
    public var qualities: [Int]
    /// Progressive JPEG with optimised Huffman tables.
    public var progressive: Bool

    public init(maxPageBytes: Int = 1_000_000, qualities: [Int] = [80, 70, 60, 50, 40], progressive: Bool = false) {
        self.maxPageBytes = maxPageBytes
        self.qualities = qualities
        self.progressive = progressive
    }

    /// A page that does not fit even at the lowest quality.
    public struct TooLarge: Error, CustomStringConvertible {
        public var bytes: Int
        public var limit: Int
        public var description: String { "page is \(bytes) bytes at the lowest quality; the limit is \(limit)" }
    }

    /// JPEG size at `quality` relative to quality 80, as libjpeg-turbo's standard tables give
    /// for scanned documents (measured on text, photo and pattern pages; a guide, not a bound).
    static func relativeSize(_ quality: Int) -> Double {
        let table: [(Int, Double)] = [
            (95, 2.1), (90, 1.55), (85, 1.22), (80, 1.0), (75, 0.87), (70, 0.78), (60, 0.66),
            (50, 0.58), (40, 0.51), (30, 0.43), (20, 0.34), (10, 0.22),
        ]
        guard let upper = table.last(where: { $0.0 >= quality }), let lower = table.first(where: { $0.0 <= quality }) else {
            return quality > 95 ? 2.1 : 0.22
        }
        guard upper.0 != lower.0 else { return upper.1 }
        let t = Double(quality - lower.0) / Double(upper.0 - lower.0)
        return lower.1 + t * (upper.1 - lower.1)
    }

    public func encode(_ raster: Raster) throws -> EncodedPage {
        if raster.kind == .bilevel {
            guard let data = Deflate.compress(raster.pixels) else { throw Raster.Malformed(description: "deflate failed") }
            guard data.count <= maxPageBytes else { throw TooLarge(bytes: data.count, limit: maxPageBytes) }
            return EncodedPage(width: raster.width, height: raster.height, dpi: raster.dpi, kind: .bilevel, filter: .flate, quality: nil, data: data)
        }
        let encoder = try JPEGEncoder()
        var smallest = Int.max
        var index = try startingQuality(raster, encoder)
        while index < qualities.count {
            let quality = qualities[index]
            let data = try encoder.encode(raster, quality: quality, progressive: progressive)
            if data.count <= maxPageBytes {
                return EncodedPage(
                    width: raster.width, height: raster.height, dpi: raster.dpi, kind: raster.kind, filter: .dct, quality: quality, data: data)
            }
            smallest = min(smallest, data.count)
            // Too big: rather than one full encode per step, jump to the best quality whose
            // predicted size fits, then step down from there only if the guess was optimistic.
            let predicted = qualities.indices.dropFirst(index + 1).first {
                Double(data.count) * Self.relativeSize(qualities[$0]) / Self.relativeSize(quality) <= Double(maxPageBytes) * 0.95
            }
            index = predicted ?? (index + 1)
        }
        throw TooLarge(bytes: smallest, limit: maxPageBytes)
    }

    /// Where to start in `qualities`: on a large page, one band in eight is encoded at the
    /// best quality to estimate the whole page's size; a page that will not fit starts at
    /// the quality predicted to fit, saving a full encode.
    func startingQuality(_ raster: Raster, _ encoder: JPEGEncoder) throws -> Int {
        let band = 16, every = 8
        guard qualities.count > 1, raster.height >= band * every * 4 else { return 0 }
        var sample = Raster(kind: raster.kind, width: raster.width, height: 0, dpi: raster.dpi, pixels: [])
        sample.pixels.reserveCapacity(raster.rowBytes * raster.height / every + raster.rowBytes * band)
        for top in stride(from: 0, to: raster.height - band + 1, by: band * every) {
            sample.pixels.append(contentsOf: raster.pixels[(top * raster.rowBytes)..<((top + band) * raster.rowBytes)])
            sample.height += band
        }
        let estimate =
            Double(try encoder.encode(sample, quality: qualities[0], progressive: progressive).count) * Double(raster.height) / Double(sample.height)
        guard estimate > Double(maxPageBytes) * 0.9 else { return 0 }
        return qualities.indices.first { estimate * Self.relativeSize(qualities[$0]) / Self.relativeSize(qualities[0]) <= Double(maxPageBytes) * 0.9 }
            ?? qualities.count - 1
    }
}
