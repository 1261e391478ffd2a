/// A small grey copy of a page (about 100 dpi) for the decisions that need no detail:
/// skew, the sheet's edges, blankness. Each preview pixel is one sampled page pixel.
struct GrayPreview {
    var width: Int
    var height: Int
    /// Page pixels per preview pixel, each way.
    var step: Int
    var pixels: [UInt8]

    init(_ raster: Raster, targetDPI: Int = 100) {
        step = max(1, raster.dpi / targetDPI)
        width = raster.width / step
        height = raster.height / step
        var pixels = [UInt8](repeating: 255, count: width * height)
        let (w, h, s) = (width, height, step)
        switch raster.kind {
        case .gray, .rgb:
            // The hot loop of every page: straight over the buffers, one loop per layout,
            // BT.601 luma in integers.
            let rowBytes = raster.rowBytes
            let rgb = raster.kind == .rgb
            raster.pixels.withUnsafeBufferPointer { source in
                pixels.withUnsafeMutableBufferPointer { target in
                    guard let source = source.baseAddress, let target = target.baseAddress else { return }
                    for y in 0..<h {
                        let row = source + y * s * rowBytes
                        let out = target + y * w
                        if rgb {
                            for x in 0..<w {
                                let p = row + x * s * 3
                                out[x] = UInt8(truncatingIfNeeded: (299 * Int(p[0]) + 587 * Int(p[1]) + 114 * Int(p[2])) / 1000)
                            }
                        } else {
                            for x in 0..<w { out[x] = row[x * s] }
                        }
                    }
                }
            }
        case .bilevel:
            for y in 0..<h {
                for x in 0..<w { pixels[y * w + x] = raster.luminance(x: x * s, y: y * s) }
            }
        }
        self.pixels = pixels
    }

    subscript(x: Int, y: Int) -> UInt8 { pixels[y * width + x] }

    /// The pixels of the outermost `depth` rows and columns.
    func border(depth: Int = 2) -> [UInt8] {
        guard width > 2 * depth, height > 2 * depth else { return pixels }
        var values: [UInt8] = []
        values.reserveCapacity(2 * depth * (width + height))
        for y in 0..<height {
            if y < depth || y >= height - depth {
                values.append(contentsOf: pixels[(y * width)..<((y + 1) * width)])
            } else {
                for x in 0..<depth { values.append(self[x, y]) }
                for x in (width - depth)..<width { values.append(self[x, y]) }
            }
        }
        return values
    }
}
