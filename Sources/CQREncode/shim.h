// libqrencode (Debian: libqrencode-dev): the receipt's tracking QR code.
#include <qrencode.h>
