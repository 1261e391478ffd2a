import CPangoCairo
import CQREncode
public import Foundation

/// Lays a `PrintDocument` out with Pango (HarfBuzz shaping, fontconfig fallback, so every
/// Vietnamese diacritic is the font's own) and draws it with Cairo: onto a 1-bit bitmap for
/// thermal printers, or into a PDF with real, searchable text.
///
/// The layout unit is the thermal printer's dot (203 dpi); a PDF is the same layout scaled to
/// points, so both outputs come from one layout.
public struct PrintRenderer: Sendable {
    public static let dotsPerInch = 203.0
    /// fontconfig family list; Noto Sans and DejaVu Sans both cover Vietnamese.
    public var fontFamily: String
    /// Body text height in dots (24 dots ≈ 3 mm).
    public var bodySize: Double
    /// Blank margin left and right, in dots.
    public var margin: Double

    public init(fontFamily: String = "Noto Sans, DejaVu Sans", bodySize: Double = 24, margin: Double = 8) {
        self.fontFamily = fontFamily
        self.bodySize = bodySize
        self.margin = margin
    }

    /// The document as a bitmap `width` dots wide (384 for 58 mm paper, 576 for 80 mm),
    /// exactly as tall as its content.
    public func raster(_ document: PrintDocument, width: Int) -> MonoRaster {
        let height = Int(measure(document, width: Double(width)).rounded(.up))
        let surface = cairo_image_surface_create(CAIRO_FORMAT_A8, Int32(width), Int32(max(1, height)))
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        cairo_set_source_rgba(cr, 0, 0, 0, 1)
        _ = draw(document, cr, width: Double(width))
        cairo_surface_flush(surface)
        // Ink coverage (alpha) of at least a half becomes a black dot.
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        var raster = MonoRaster(width: width, height: height, bits: [UInt8](repeating: 0, count: (width + 7) / 8 * height))
        let rowBytes = raster.rowBytes
        for y in 0..<height {
            for x in 0..<width where data[y * stride + x] >= 128 {
                raster.bits[y * rowBytes + x / 8] |= 0x80 >> UInt8(x % 8)
            }
        }
        return raster
    }

    /// The document as a one-page PDF `pageWidth` points wide: `pageHeight` tall (A4: 842),
    /// or, when nil, as tall as the content (a receipt roll). `contentWidth` dots of layout
    /// fill the page width less `sideMargin` points on each side.
    public func pdf(
        _ document: PrintDocument, pageWidth: Double, pageHeight: Double? = nil, sideMargin: Double = 0,
        title: String = ""
    ) throws -> Data {
        let scale = 72 / Self.dotsPerInch
        let contentWidth = (pageWidth - 2 * sideMargin) / scale
        let contentHeight = measure(document, width: contentWidth) * scale
        let height = pageHeight ?? (contentHeight + 2 * sideMargin)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-print-\(UUID().uuidString).pdf")
        defer { try? FileManager.default.removeItem(at: file) }
        let surface = cairo_pdf_surface_create(file.path, pageWidth, height)
        if !title.isEmpty { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title) }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "kioskd")
        let cr = cairo_create(surface)!
        cairo_translate(cr, sideMargin, sideMargin)
        cairo_scale(cr, scale, scale)
        cairo_set_source_rgb(cr, 0, 0, 0)
        _ = draw(document, cr, width: contentWidth)
        cairo_show_page(cr)
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        cairo_surface_destroy(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderError(description: "cairo PDF: \(String(cString: cairo_status_to_string(status)))")
        }
        return try Data(contentsOf: file)
    }

    public struct RenderError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The height the document takes at `width`, in dots.
    func measure(_ document: PrintDocument, width: Double) -> Double {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1)
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        return draw(document, cr, width: width, ink: false)
    }

    /// Lays out (and, with `ink`, draws) every block from the top; returns the height used.
    private func draw(_ document: PrintDocument, _ cr: OpaquePointer, width: Double, ink: Bool = true) -> Double {
        let scale = Double(csw_pango_scale())
        let inner = width - 2 * margin
        var y = margin
        func layout(
            _ text: String, bold: Bool = false, size: Double, alignment: PangoAlignment = PANGO_ALIGN_LEFT,
            boldPrefix: Int = 0, hangingIndent: Double = 0
        ) -> Double {
            let layout = pango_cairo_create_layout(cr)!
            defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
            let font = pango_font_description_from_string(fontFamily)!
            defer { pango_font_description_free(font) }
            pango_font_description_set_absolute_size(font, size * scale)
            pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
            pango_layout_set_font_description(layout, font)
            pango_layout_set_width(layout, Int32(inner * scale))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
            pango_layout_set_alignment(layout, alignment)
            if hangingIndent > 0 { pango_layout_set_indent(layout, Int32(-hangingIndent * scale)) }
            pango_layout_set_text(layout, text, -1)
            if boldPrefix > 0 {
                let attributes = pango_attr_list_new()!
                let weight = pango_attr_weight_new(PANGO_WEIGHT_BOLD)!
                weight.pointee.start_index = 0
                weight.pointee.end_index = UInt32(boldPrefix)
                pango_attr_list_insert(attributes, weight)
                pango_layout_set_attributes(layout, attributes)
                pango_attr_list_unref(attributes)
            }
            var w: Int32 = 0, h: Int32 = 0
            pango_layout_get_pixel_size(layout, &w, &h)
            if ink {
                cairo_move_to(cr, margin, y)
                pango_cairo_show_layout(cr, layout)
            }
            return Double(h)
        }
        for block in document.blocks {
            switch block {
            case .text(let text, let bold, let alignment, let factor):
                y += layout(text, bold: bold, size: bodySize * factor, alignment: alignment == .center ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT)
            case .field(let label, let value):
                let prefix = label + ": "
                y += layout(prefix + value, size: bodySize, boldPrefix: prefix.utf8.count, hangingIndent: bodySize * 1.5)
            case .rule:
                y += bodySize * 0.4
                if ink {
                    cairo_set_line_width(cr, 2)
                    cairo_move_to(cr, margin, y)
                    cairo_line_to(cr, width - margin, y)
                    cairo_stroke(cr)
                }
                y += bodySize * 0.4
            case .qr(let payload, let caption):
                if let code = QRCode(payload) {
                    let quiet = 2
                    let module = max(2, (min(inner * 0.6, 320) / Double(code.size + 2 * quiet)).rounded(.down))
                    let side = module * Double(code.size)
                    let left = ((width - side) / 2).rounded(.down)
                    y += module * Double(quiet)
                    if ink {
                        for row in 0..<code.size {
                            for column in 0..<code.size where code.isDark(x: column, y: row) {
                                cairo_rectangle(cr, left + Double(column) * module, y + Double(row) * module, module, module)
                            }
                        }
                        cairo_fill(cr)
                    }
                    y += side + module * Double(quiet)
                }
                if let caption { y += layout(caption, size: bodySize * 0.8, alignment: PANGO_ALIGN_CENTER) }
            case .space(let lines):
                y += bodySize * 1.2 * lines
            }
        }
        return y + margin
    }
}
