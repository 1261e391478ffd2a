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

    /// Exactly `count` bytes inflated from `data`; nil when it is not zlib data of that size.
    static func decompress(_ data: Data, count: Int) -> [UInt8]? {
        var length = uLongf(count)
        var status = Z_DATA_ERROR
        let output = [UInt8](unsafeUninitializedCapacity: count) { target, initialized in
            status = data.withUnsafeBytes { input in
                uncompress(target.baseAddress, &length, input.bindMemory(to: UInt8.self).baseAddress, uLong(input.count))
            }
            initialized = status == Z_OK ? Int(length) : 0
        }
        return status == Z_OK && output.count == count ? output : nil
    }
}
