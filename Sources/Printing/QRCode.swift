import CQREncode

/// A QR code's modules through libqrencode (error correction M, 8-bit mode).
struct QRCode {
    let size: Int
    let modules: [Bool]

    init?(_ payload: String) {
        guard let code = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        size = Int(code.pointee.width)
        // Bit 0 of each byte is the module's colour (1 = dark).
        modules = (0..<(size * size)).map { code.pointee.data[$0] & 1 == 1 }
    }

    func isDark(x: Int, y: Int) -> Bool { modules[y * size + x] }
}

/// A QR code as SVG for the applicant's screen: the receipt's tracking code, shown beside
/// the printed one (and instead of it when the printer cannot print).
public enum QRCodeSVG {
    /// The SVG of `payload`, a 4-module quiet zone around it; nil if it cannot be encoded.
    public static func svg(_ payload: String) -> String? {
        guard let code = QRCode(payload) else { return nil }
        let side = code.size + 8
        var path = ""
        for y in 0..<code.size {
            for x in 0..<code.size where code.isDark(x: x, y: y) { path += "M\(x + 4) \(y + 4)h1v1h-1z" }
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges">\
            <rect width="\(side)" height="\(side)" fill="#fff"/><path d="\(path)" fill="#000"/></svg>
            """
    }
}
