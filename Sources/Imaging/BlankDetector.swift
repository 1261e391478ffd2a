/// Flags pages that look blank, for the applicant to confirm — a page is never dropped on
/// this guess alone (a faint pencil note may still matter).
public enum BlankDetector {
    /// True when, inside a margin of `margin` of each side (edges and shadows ignored),
    /// fewer than `inkFraction` of the sampled pixels are darker than `darkBelow`.
    public static func looksBlank(_ raster: Raster, darkBelow: UInt8 = 160, inkFraction: Double = 0.002, margin: Double = 0.05) -> Bool {
        let x0 = Int(Double(raster.width) * margin), x1 = raster.width - x0
        let y0 = Int(Double(raster.height) * margin), y1 = raster.height - y0
        guard x1 > x0, y1 > y0 else { return false }
        // About 50 samples per inch each way is plenty to see text, and cheap.
        let step = max(1, raster.dpi / 50)
        var dark = 0
        var total = 0
        switch raster.kind {
        case .gray, .rgb:
            // Straight over the buffer (this runs on every page): BT.601 luma as `luminance`.
            let channels = raster.kind == .rgb ? 3 : 1
            let rowBytes = raster.rowBytes
            raster.pixels.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                for y in stride(from: y0, to: y1, by: step) {
                    let row = base + y * rowBytes
                    for x in stride(from: x0, to: x1, by: step) {
                        let p = row + x * channels
                        let luma = channels == 1 ? Int(p[0]) : (299 * Int(p[0]) + 587 * Int(p[1]) + 114 * Int(p[2])) / 1000
                        total += 1
                        if luma < Int(darkBelow) { dark += 1 }
                    }
                }
            }
        case .bilevel:
            for y in stride(from: y0, to: y1, by: step) {
                for x in stride(from: x0, to: x1, by: step) {
                    total += 1
                    if raster.luminance(x: x, y: y) < darkBelow { dark += 1 }
                }
            }
        }
        return Double(dark) < Double(total) * inkFraction
    }
}
