import Foundation
import Synchronization

/// Page-sized pixel arrays handed back once a page is processed, for a later page of the
/// batch to be read into: an A4 colour page at 200 dpi is ~12 MB, and memory reused is not
/// faulted in (and zeroed by the kernel) again for every sheet.
///
/// Safe whatever the timing: an array handed back while something else still holds it is
/// copied before it is written (Swift arrays copy on write), so returning one early costs a
/// copy, never another page's pixels.
public final class PixelPool: Sendable {
    private let arrays = Mutex<[[UInt8]]>([])
    private let capacity: Int

    /// Keeps at most `capacity` arrays.
    public init(capacity: Int = 3) {
        self.capacity = capacity
    }

    /// An array of exactly `count` bytes holding an earlier page's pixels, to be overwritten;
    /// nil when none of that size was handed back.
    public func take(count: Int) -> [UInt8]? {
        arrays.withLock { arrays in
            guard let index = arrays.firstIndex(where: { $0.count == count }) else { return nil }
            return arrays.remove(at: index)
        }
    }

    /// Hands `pixels` back for a later page.
    public func recycle(_ pixels: consuming [UInt8]) {
        guard !pixels.isEmpty else { return }
        let pixels = consume pixels
        arrays.withLock { arrays in
            if arrays.count < capacity { arrays.append(pixels) }
        }
    }

    /// Arrays held now.
    public var count: Int { arrays.withLock { $0.count } }
}
