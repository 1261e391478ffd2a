// Pango and Cairo (Debian: libpango1.0-dev, libcairo2-dev): text shaped by HarfBuzz, laid out
// by Pango, drawn by Cairo onto a bitmap (thermal printers) or a PDF (A4 and IPP printers).
#include <pango/pangocairo.h>
#include <cairo.h>
#include <cairo-pdf.h>

static inline int csw_pango_scale(void) { return PANGO_SCALE; }
