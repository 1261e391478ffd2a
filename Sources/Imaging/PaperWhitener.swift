/// Turns the paper of a grey or colour scan white: the scanner sees off-white paper with
/// fibres and sensor noise, which carries no information but costs JPEG most of its bytes.
/// Each channel is stretched so that the paper's own level, less its noise, becomes 255;
/// text, stamps, ink and anything fainter than the paper keep their contrast (stretched
/// slightly). Pages with no clear paper tone (photos, dark forms) are left as they are.
struct PaperWhitener {
    /// Per-channel white points (1 value for grey, 3 for colour); nil: leave the page alone.
    static func whitePoints(_ raster: Raster, _ preview: GrayPreview) -> [Int]? {
        guard raster.kind != .bilevel else { return nil }
        var histogram = [Int](repeating: 0, count: 256)
        histogram.withUnsafeMutableBufferPointer { counts in
            preview.pixels.withUnsafeBufferPointer { values in
                for value in values { counts[Int(value)] += 1 }
            }
        }
        // The paper: the most frequent bright level.
        guard let paper = (160...255).max(by: { histogram[$0] < histogram[$1] }) else { return nil }
        let near = max(160, paper - 24)...min(255, paper + 24)
        let count = near.reduce(0) { $0 + histogram[$1] }
        guard count * 10 >= preview.pixels.count * 3 else { return nil }  // under 30 % paper: not a document
        let mean = Double(near.reduce(0) { $0 + $1 * histogram[$1] }) / Double(count)
        let variance = Double(near.reduce(0) { $0 + histogram[$1] * ($1 - Int(mean)) * ($1 - Int(mean)) }) / Double(count)
        let margin = max(6, Int((2.5 * variance.squareRoot()).rounded()))
        guard raster.kind == .rgb else { return [max(128, paper - margin)] }
        // Colour: each channel's paper level, from page pixels whose grey is the paper's.
        var sums = [0, 0, 0], samples = 0
        let step = preview.step
        for y in stride(from: 0, to: preview.height, by: 2) {
            for x in stride(from: 0, to: preview.width, by: 2) where abs(Int(preview[x, y]) - paper) <= margin {
                let i = (y * step * raster.width + x * step) * 3
                for c in 0..<3 { sums[c] += Int(raster.pixels[i + c]) }
                samples += 1
            }
        }
        guard samples > 0 else { return nil }
        return sums.map { max(128, $0 / samples - margin) }
    }

    /// The page with each channel mapped by v × 255 / white point (clipped at 255).
    static func whiten(_ raster: Raster, whitePoints: [Int]) -> Raster {
        var out = raster
        let tables = whitePoints.map { white in (0..<256).map { UInt8(min(255, $0 * 255 / white)) } }
        out.pixels.withUnsafeMutableBufferPointer { pixels in
            if tables.count == 1 {
                let table = tables[0]
                for i in pixels.indices { pixels[i] = table[Int(pixels[i])] }
            } else {
                let (r, g, b) = (tables[0], tables[1], tables[2])
                var i = 0
                while i + 2 < pixels.count {
                    pixels[i] = r[Int(pixels[i])]
                    pixels[i + 1] = g[Int(pixels[i + 1])]
                    pixels[i + 2] = b[Int(pixels[i + 2])]
                    i += 3
                }
            }
        }
        return out
    }
}
