#ifndef CSANE_SHIM_H
#define CSANE_SHIM_H
#include <sane/sane.h>
#include <sane/saneopts.h>

/* SANE_FIX / SANE_UNFIX are macros Swift cannot import. */
static inline SANE_Word csane_fix(double value) { return (SANE_Word)(value * (1 << SANE_FIXED_SCALE_SHIFT)); }
static inline double csane_unfix(SANE_Word value) { return (double)value / (1 << SANE_FIXED_SCALE_SHIFT); }
static inline SANE_Int csane_version(void) { return SANE_VERSION_CODE(SANE_CURRENT_MAJOR, SANE_CURRENT_MINOR, 0); }
#endif
