import CTurboJPEG
public import Foundation

/// Decodes the JPEG files JPEGEncoder writes (grey or colour) back to rasters, through
/// libjpeg-turbo: for compressing a page again, smaller, without keeping its raw pixels.
///
/// Thread safety: one decompressor handle per decoder; use one decoder per task.
public final class JPEGDecoder {
    private let handle: tjhandle

    public init() throws(JPEGEncoder.Failure) {
        guard let handle = tjInitDecompress() else { throw JPEGEncoder.Failure(description: "tjInitDecompress failed") }
        self.handle = handle
    }

    deinit { tjDestroy(handle) }

    /// The image in `data` as a grey (one component) or colour raster at `dpi`.
    public func decode(_ data: Data, dpi: Int) throws(JPEGEncoder.Failure) -> Raster {
        try decode(data, dpi: dpi, atLeastWide: nil)
    }

    /// The image scaled down by libjpeg-turbo's DCT scaling (1/2, 1/4 or 1/8: cheap, no full-size
    /// pixels made) to the smallest of those sizes at least `minimumWidth` wide: a preview.
    public func preview(_ data: Data, minimumWidth: Int) throws(JPEGEncoder.Failure) -> Raster {
        try decode(data, dpi: 0, atLeastWide: minimumWidth)
    }

    private func decode(_ data: Data, dpi: Int, atLeastWide minimumWidth: Int?) throws(JPEGEncoder.Failure) -> Raster {
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        let header = data.withUnsafeBytes { bytes in
            tjDecompressHeader3(handle, bytes.bindMemory(to: UInt8.self).baseAddress, UInt(bytes.count), &width, &height, &subsampling, &colorspace)
        }
        guard header == 0, width > 0, height > 0, Int(width) * Int(height) <= 400_000_000 else {
            throw JPEGEncoder.Failure(description: "not a JPEG page: \(header == 0 ? "\(width)×\(height)" : String(cString: tjGetErrorStr2(handle)))")
        }
        let gray = colorspace == Int32(TJCS_GRAY.rawValue)
        var divisor: Int32 = 1
        if let minimumWidth {
            while divisor < 8, (width + divisor * 2 - 1) / (divisor * 2) >= Int32(minimumWidth) { divisor *= 2 }
            width = (width + divisor - 1) / divisor
            height = (height + divisor - 1) / divisor
        }
        var raster = Raster(kind: gray ? .gray : .rgb, width: Int(width), height: Int(height), dpi: dpi / Int(divisor), pixels: [])
        var status: Int32 = -1
        raster.pixels = [UInt8](unsafeUninitializedCapacity: raster.rowBytes * raster.height) { target, initialized in
            status = data.withUnsafeBytes { bytes in
                tjDecompress2(
                    handle, bytes.bindMemory(to: UInt8.self).baseAddress, UInt(bytes.count), target.baseAddress, width,
                    Int32(raster.rowBytes), height, Int32((gray ? TJPF_GRAY : TJPF_RGB).rawValue), TJFLAG_FASTDCT)
            }
            initialized = status == 0 ? target.count : 0
        }
        guard status == 0 else { throw JPEGEncoder.Failure(description: "tjDecompress2: \(String(cString: tjGetErrorStr2(handle)))") }
        return raster
    }
}
