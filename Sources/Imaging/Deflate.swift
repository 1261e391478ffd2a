import CZlib
import Foundation

/// zlib compression (PDF's FlateDecode): the lossless codec for black-and-white pages.
enum Deflate {
    static func compress(_ bytes: [UInt8], level: Int32 = 9) -> Data? {
        var length = compressBound(uLong(bytes.count))
        var output = [UInt8](repeating: 0, count: Int(length))
        let status = bytes.withUnsafeBufferPointer { input in
            compress2(&output, &length, input.baseAddress, uLong(bytes.count), level)
        }
        guard status == Z_OK else { return nil }
        return Data(output[0..<Int(length)])
    }
}
