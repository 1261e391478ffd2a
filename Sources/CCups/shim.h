// libcups (Debian: libcups2-dev). Debian 12 ships no cups.pc, so the target links "cups"
// directly instead of going through pkg-config.
#include <cups/cups.h>
