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
