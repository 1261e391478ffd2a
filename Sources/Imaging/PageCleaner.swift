import Foundation

/// Straightens a page fed slightly askew, crops it to the sheet when the scanner's backing
/// shows around it, and turns its paper white. The decisions are made on a ~100 dpi
/// preview; the full page is only touched when there is something to correct.
public struct PageCleaner: Sendable {
    /// Largest skew corrected, in degrees; beyond it the page is left as it is (a sheet fed
    /// that crooked is better rescanned than guessed).
    public var maxSkewDegrees: Double
    /// Smaller skews are left alone: not visible, and rotating softens the image.
    public var minSkewDegrees: Double

    /// Turn the paper white (see PaperWhitener).
    public var whitenPaper: Bool

    public init(maxSkewDegrees: Double = 5, minSkewDegrees: Double = 0.2, whitenPaper: Bool = true) {
        self.maxSkewDegrees = maxSkewDegrees
        self.minSkewDegrees = minSkewDegrees
        self.whitenPaper = whitenPaper
    }

    /// What was done to a page.
    public struct Report: Sendable, Hashable, Codable {
        /// The rotation applied, degrees (0 when none).
        public var deskewDegrees: Double
        /// True when the page was cropped to the sheet.
        public var cropped: Bool
        /// True when the paper was turned white.
        public var whitened: Bool

        public init(deskewDegrees: Double, cropped: Bool, whitened: Bool = false) {
            self.deskewDegrees = deskewDegrees
            self.cropped = cropped
            self.whitened = whitened
        }
    }

    public func clean(_ raster: Raster) -> (raster: Raster, report: Report) {
        var page = raster
        var preview = GrayPreview(raster)
        let background = Self.background(preview)
        let angle = skew(preview)
        var applied = 0.0
        if abs(angle) >= minSkewDegrees {
            page = page.rotated(degrees: -angle, fill: background ?? 255)
            preview = GrayPreview(page)
            applied = -angle
        }
        var cropped = false
        if let background, let box = Self.sheet(in: preview, background: background) {
            let s = preview.step
            let x0 = box.x0 * s, y0 = box.y0 * s
            let x1 = min(page.width, (box.x1 + 1) * s), y1 = min(page.height, (box.y1 + 1) * s)
            page = page.cropped(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
            cropped = true
        }
        var whitened = false
        if whitenPaper, let whitePoints = PaperWhitener.whitePoints(page, cropped ? GrayPreview(page) : preview) {
            page = PaperWhitener.whiten(page, whitePoints: whitePoints)
            whitened = true
        }
        return (page, Report(deskewDegrees: applied, cropped: cropped, whitened: whitened))
    }

    /// The skew of the page's lines (text, rules, the sheet's own edges), in degrees, positive
    /// when they run clockwise from the horizontal in image coordinates; 0 when nothing
    /// dark enough to measure or the estimate lies at the edge of the search.
    func skew(_ preview: GrayPreview) -> Double {
        let dark = preview.pixels.reduce(0) { $0 + ($1 < 128 ? 1 : 0) }
        guard dark >= 50, dark < preview.pixels.count * 9 / 10 else { return 0 }
        // Every dark pixel of a text page; a sample of a dark one (40 000 points are plenty).
        let keepEvery = max(1, dark / 40_000)
        var xs: [Double] = [], ys: [Double] = []
        xs.reserveCapacity(dark / keepEvery + 1)
        ys.reserveCapacity(dark / keepEvery + 1)
        let cx = Double(preview.width) / 2, cy = Double(preview.height) / 2
        var seen = 0
        for y in 0..<preview.height {
            for x in 0..<preview.width where preview[x, y] < 128 {
                seen += 1
                guard seen % keepEvery == 0 else { continue }
                xs.append(Double(x) - cx)
                ys.append(Double(y) - cy)
            }
        }
        // The projection of the dark pixels onto the page's vertical axis has the sharpest
        // peaks (largest sum of squares) when the lines are level.
        var bins = [Int](repeating: 0, count: preview.height * 2 + preview.width)
        let offset = Double(preview.height + preview.width / 2)
        func score(_ degrees: Double) -> Int {
            let radians = degrees * .pi / 180
            let sine = sin(radians), cosine = cos(radians)
            for i in bins.indices { bins[i] = 0 }
            for i in xs.indices {
                let row = Int((ys[i] * cosine - xs[i] * sine + offset).rounded())
                if row >= 0, row < bins.count { bins[row] += 1 }
            }
            return bins.reduce(0) { $0 + $1 * $1 }
        }
        func best(in range: StrideThrough<Double>) -> (angle: Double, score: Int) {
            var winner = (angle: 0.0, score: Int.min)
            for angle in range {
                let s = score(angle)
                if s > winner.score { winner = (angle, s) }
            }
            return winner
        }
        let coarse = best(in: stride(from: -maxSkewDegrees, through: maxSkewDegrees, by: 0.5))
        guard abs(coarse.angle) < maxSkewDegrees else { return 0 }
        let fine = best(in: stride(from: coarse.angle - 0.5, through: coarse.angle + 0.5, by: 0.1))
        // A pattern with no lines scores about the same at every angle: leave it.
        guard Double(fine.score) > Double(score(0)) * 1.02 else { return 0 }
        return fine.angle
    }

    /// The scanner backing's grey level when the page's border is one uniform shade that is
    /// not paper white; nil otherwise (the sheet fills the frame, or the lid is white).
    static func background(_ preview: GrayPreview) -> UInt8? {
        let border = preview.border().sorted()
        guard !border.isEmpty else { return nil }
        let median = border[border.count / 2]
        let near = border.filter { abs(Int($0) - Int(median)) <= 30 }.count
        guard near * 100 >= border.count * 85, median < 200 else { return nil }
        return median
    }

    /// The sheet's box in preview pixels: rows and columns mostly unlike the backing. Nil
    /// when no clear sheet stands out, or it already fills the frame.
    static func sheet(in preview: GrayPreview, background: UInt8) -> (x0: Int, y0: Int, x1: Int, y1: Int)? {
        func differs(_ x: Int, _ y: Int) -> Bool { abs(Int(preview[x, y]) - Int(background)) > 40 }
        var rowCounts = [Int](repeating: 0, count: preview.height)
        var columnCounts = [Int](repeating: 0, count: preview.width)
        for y in 0..<preview.height {
            for x in 0..<preview.width where differs(x, y) {
                rowCounts[y] += 1
                columnCounts[x] += 1
            }
        }
        guard let y0 = rowCounts.firstIndex(where: { $0 * 10 >= preview.width * 3 }),
            let y1 = rowCounts.lastIndex(where: { $0 * 10 >= preview.width * 3 }),
            let x0 = columnCounts.firstIndex(where: { $0 * 10 >= preview.height * 3 }),
            let x1 = columnCounts.lastIndex(where: { $0 * 10 >= preview.height * 3 })
        else { return nil }
        let area = (x1 - x0 + 1) * (y1 - y0 + 1)
        guard area * 5 >= preview.width * preview.height, area * 100 < preview.width * preview.height * 99 else { return nil }
        return (x0, y0, x1, y1)
    }
}

extension Raster {
    /// The page turned by `degrees` about its centre (positive: clockwise in image
    /// coordinates), same size; pixels from outside the page take `fill`. Bilinear for grey
    /// and colour, nearest pixel for black and white.
    public func rotated(degrees: Double, fill: UInt8) -> Raster {
        let radians = degrees * .pi / 180
        let sine = sin(radians), cosine = cos(radians)
        let cx = Double(width - 1) / 2, cy = Double(height - 1) / 2
        var out = Raster(
            kind: kind, width: width, height: height, dpi: dpi,
            pixels: [UInt8](repeating: kind == .bilevel ? (fill < 128 ? 0xFF : 0) : fill, count: rowBytes * height))
        let channels = kind == .rgb ? 3 : 1
        pixels.withUnsafeBufferPointer { source in
            out.pixels.withUnsafeMutableBufferPointer { target in
                for y in 0..<height {
                    let dy = Double(y) - cy
                    // Inverse mapping: where in the source each target pixel comes from.
                    var sx = cx + (0 - cx) * cosine + dy * sine
                    var sy = cy - (0 - cx) * sine + dy * cosine
                    for x in 0..<width {
                        defer {
                            sx += cosine
                            sy -= sine
                        }
                        guard sx >= 0, sy >= 0, sx <= Double(width - 1), sy <= Double(height - 1) else { continue }
                        if kind == .bilevel {
                            let ix = Int(sx.rounded()), iy = Int(sy.rounded())
                            let bit = source[iy * rowBytes + ix / 8] & (0x80 >> UInt8(ix % 8))
                            let mask: UInt8 = 0x80 >> UInt8(x % 8)
                            if bit != 0 { target[y * rowBytes + x / 8] |= mask } else { target[y * rowBytes + x / 8] &= ~mask }
                            continue
                        }
                        let x0 = Int(sx), y0 = Int(sy)
                        let x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
                        let fx = sx - Double(x0), fy = sy - Double(y0)
                        for c in 0..<channels {
                            let a = Double(source[(y0 * width + x0) * channels + c]), b = Double(source[(y0 * width + x1) * channels + c])
                            let d = Double(source[(y1 * width + x0) * channels + c]), e = Double(source[(y1 * width + x1) * channels + c])
                            let top = a + (b - a) * fx, bottom = d + (e - d) * fx
                            target[(y * width + x) * channels + c] = UInt8((top + (bottom - top) * fy).rounded())
                        }
                    }
                }
            }
        }
        return out
    }

    /// The part of the page at x, y of the given size (clamped to the page).
    public func cropped(x: Int, y: Int, width newWidth: Int, height newHeight: Int) -> Raster {
        let x0 = max(0, min(x, width - 1)), y0 = max(0, min(y, height - 1))
        let w = max(1, min(newWidth, width - x0)), h = max(1, min(newHeight, height - y0))
        var out = Raster(kind: kind, width: w, height: h, dpi: dpi, pixels: [])
        out.pixels.reserveCapacity(out.rowBytes * h)
        for row in y0..<(y0 + h) {
            if kind == .bilevel {
                for x in stride(from: x0, to: x0 + w, by: 8) {
                    var byte: UInt8 = 0
                    for bit in 0..<8 where x + bit < x0 + w {
                        let sx = x + bit
                        if pixels[row * rowBytes + sx / 8] & (0x80 >> UInt8(sx % 8)) != 0 { byte |= 0x80 >> UInt8(bit) }
                    }
                    out.pixels.append(byte)
                }
            } else {
                let channels = kind == .rgb ? 3 : 1
                out.pixels.append(contentsOf: pixels[(row * width + x0) * channels..<(row * width + x0 + w) * channels])
            }
        }
        return out
    }
}
