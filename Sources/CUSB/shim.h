// libusb 1.0 (Debian: libusb-1.0-0-dev), for CCID card readers.
#include <libusb-1.0/libusb.h>
