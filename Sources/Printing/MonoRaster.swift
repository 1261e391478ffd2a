/// A 1-bit image as thermal printers take it: rows of `rowBytes` bytes, most significant bit
/// first, a set bit is a black dot.
public struct MonoRaster: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var bits: [UInt8]

    public init(width: Int, height: Int, bits: [UInt8]) {
        self.width = width
        self.height = height
        self.bits = bits
    }

    public var rowBytes: Int { (width + 7) / 8 }

    public func isBlack(x: Int, y: Int) -> Bool { bits[y * rowBytes + x / 8] & (0x80 >> UInt8(x % 8)) != 0 }

    /// How many dots are black.
    public var blackDots: Int { bits.reduce(0) { $0 + $1.nonzeroBitCount } }
}
