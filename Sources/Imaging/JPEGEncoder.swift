import CTurboJPEG
public import Foundation

/// Compresses grey and colour rasters to baseline JPEG through libjpeg-turbo.
///
/// Thread safety: one compressor handle per encoder; use one encoder per task.
public final class JPEGEncoder {
    private let handle: tjhandle

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public init() throws(Failure) {
        guard let handle = tjInitCompress() else { throw Failure(description: "tjInitCompress failed") }
        self.handle = handle
    }

    deinit { tjDestroy(handle) }

    /// The JPEG file for `raster` at `quality` (1…100). Colour is subsampled 4:2:0.
    /// `progressive` also optimises the Huffman tables: a fifth smaller on pages that are
    /// mostly white paper, at some extra CPU.
    public func encode(_ raster: Raster, quality: Int, progressive: Bool = false) throws(Failure) -> Data {
        let (format, subsampling): (TJPF, TJSAMP) =
            switch raster.kind {
            case .gray: (TJPF_GRAY, TJSAMP_GRAY)
            case .rgb: (TJPF_RGB, TJSAMP_420)
            case .bilevel: throw Failure(description: "bilevel pages are not JPEG-compressed")
            }
        var output: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let status = raster.pixels.withUnsafeBufferPointer { pixels in
            tjCompress2(
                handle, pixels.baseAddress, Int32(raster.width), Int32(raster.rowBytes), Int32(raster.height),
                Int32(format.rawValue), &output, &size, Int32(subsampling.rawValue), Int32(min(100, max(1, quality))),
                TJFLAG_FASTDCT | (progressive ? TJFLAG_PROGRESSIVE : 0))
        }
        guard status == 0, let output else {
            if let output { tjFree(output) }
            throw Failure(description: "tjCompress2: \(String(cString: tjGetErrorStr2(handle)))")
        }
        // libjpeg-turbo's buffer becomes the Data (no copy), freed by libjpeg-turbo.
        return Data(bytesNoCopy: output, count: Int(size), deallocator: .custom { pointer, _ in tjFree(pointer.assumingMemoryBound(to: UInt8.self)) })
    }
}
