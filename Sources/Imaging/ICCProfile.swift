public import Foundation

/// The sRGB colour profile a PDF/A file names as its output intent: the colour space the
/// scanned pages' DeviceRGB and DeviceGray values mean. Read from Debian's copy (package
/// libgs-common, ICC v2, 2.5 KB); without it, documents are written as plain PDF.
public enum ICCProfile {
    /// Where the profile is looked for, in order.
    public static let sRGBPaths = [
        "/usr/share/color/icc/ghostscript/srgb.icc",
        "/usr/share/color/icc/sRGB.icc",
    ]

    /// The first usable sRGB profile of `sRGBPaths`, read once; nil when there is none.
    public static let sRGB: Data? = sRGBPaths.lazy.compactMap { FileManager.default.contents(atPath: $0) }.first(where: isRGBProfile)

    /// True for an ICC profile (v2 to v4.2, as PDF/A-2 allows) of a display or input device
    /// whose colour space is RGB, of the length its header gives.
    public static func isRGBProfile(_ data: Data) -> Bool {
        let bytes = [UInt8](data.prefix(40))
        guard bytes.count == 40 else { return false }
        let size = bytes[0..<4].reduce(0) { $0 << 8 | Int($1) }
        let version = Int(bytes[8]) << 8 | Int(bytes[9])
        let deviceClass = String(decoding: bytes[12..<16], as: UTF8.self)
        return size == data.count && (0x0200...0x0420).contains(version) && ["mntr", "scnr"].contains(deviceClass)
            && String(decoding: bytes[16..<20], as: UTF8.self) == "RGB " && String(decoding: bytes[36..<40], as: UTF8.self) == "acsp"
    }
}
