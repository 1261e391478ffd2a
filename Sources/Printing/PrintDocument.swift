/// A printout as a column of blocks, independent of the paper: the same document becomes a
/// thermal printer's bitmap or a PDF page.
public struct PrintDocument: Sendable, Hashable {
    public enum Alignment: Sendable, Hashable { case left, center }

    public enum Block: Sendable, Hashable {
        /// Text that wraps at the paper's width; `scale` 1 is body text.
        case text(String, bold: Bool = false, alignment: Alignment = .left, scale: Double = 1)
        /// A label and its value; the value wraps under itself, never cut.
        case field(label: String, value: String)
        /// A horizontal line.
        case rule
        /// A QR code of `payload`, centred, with its caption under it.
        case qr(payload: String, caption: String?)
        /// Vertical space, in body lines.
        case space(Double)
    }

    public var blocks: [Block]

    public init(_ blocks: [Block]) {
        self.blocks = blocks
    }

    /// The document as UTF-8 text lines (the simulated printer's output, logs of layouts).
    public var plainText: String {
        var lines: [String] = []
        for block in blocks {
            switch block {
            case .text(let text, _, _, _): lines.append(text)
            case .field(let label, let value): lines.append("\(label): \(value)")
            case .rule: lines.append(String(repeating: "─", count: 32))
            case .qr(let payload, let caption): lines.append(caption ?? payload)
            case .space: lines.append("")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
