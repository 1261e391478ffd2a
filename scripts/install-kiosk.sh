#!/usr/bin/env bash
# Installs kioskd as a service on a Debian 12 kiosk: the release binaries, the catalog, the
# screen and the CSCA certificates, a production kiosk.conf, the systemd units, a `kiosk`
# system user (sysusers.d), a udev rule giving that user the CCID card reader, and (on a real
# install) the CUPS queues kiosk.conf prints to.
#
#   scripts/install-kiosk.sh                 build (release) and install into /
#   DESTDIR=/tmp/root scripts/install-kiosk.sh   install into a staging root (no user, no
#                                            queues, no systemctl: what a package build does)
#   KIOSK_BIN=.build/debug scripts/install-kiosk.sh   install binaries already built there
#
# Then: systemctl enable --now kioskd kiosk-screen
set -euo pipefail
cd "$(dirname "$0")/.."
destdir="${DESTDIR:-}"
prefix="${PREFIX:-/usr/local}"
bin="${KIOSK_BIN:-}"
if [ -z "$bin" ]; then
  bash scripts/install-deps.sh
  for product in kioskd kioskctl kiosk-sane; do swift build -c release --product "$product"; done
  bin=.build/release
fi
for program in kioskd kioskctl kiosk-sane; do
  [ -x "$bin/$program" ] || { echo "install-kiosk: $bin/$program is missing (build it, or set KIOSK_BIN)" >&2; exit 1; }
done

share="$prefix/share/kioskd"
install -d "$destdir$prefix/bin" "$destdir$share" "$destdir/etc/kiosk" "$destdir/lib/systemd/system" \
  "$destdir/usr/lib/sysusers.d" "$destdir/etc/udev/rules.d"
# kiosk-sane sits beside kioskd: kioskd runs it from its own directory.
for program in kioskd kioskctl kiosk-sane; do install -m 0755 "$bin/$program" "$destdir$prefix/bin/$program"; done
for folder in catalog screen csca; do
  rm -rf "$destdir$share/$folder"
  cp -r "$folder" "$destdir$share/$folder"
done
install -m 0644 README.md "$destdir$share/README.md"

# The configuration: the kiosk's real devices and the system's cupsd, state in /var/lib/kiosk.
# An existing one is kept (a technician's settings outlive an upgrade).
if [ ! -e "$destdir/etc/kiosk/kiosk.conf" ]; then
  cat > "$destdir/etc/kiosk/kiosk.conf" <<CONF
# kioskd's configuration (installed by scripts/install-kiosk.sh). Every setting and its default:
# kioskd --print-config --config /etc/kiosk/kiosk.conf. Check it: kioskd --check --config /etc/kiosk/kiosk.conf
[kiosk]
id = "KIOSK-CHANGE-ME"

[api]
listen = "127.0.0.1:8080"

[store]
path = "/var/lib/kiosk/kiosk.sqlite"

[catalog]
directory = "$share/catalog"

[screen]
directory = "$share/screen"

[devices.scanner]
driver = "sane"
# device = "…"   the SANE device name (scanimage -L); unset: the first one SANE finds

[devices.printer]
driver = "cups"
destination = "kiosk_receipt"
output_directory = "/var/lib/kiosk/printed"

[devices.card_reader]
driver = "ccid"
reader = "usb"
csca_directory = "$share/csca"

[technician]
# kioskctl's way in (systemd makes /run/kiosk); members of kiosk-tech may use it.
socket = "/run/kiosk/kioskd.sock"
group = "kiosk-tech"
CONF
  chmod 0640 "$destdir/etc/kiosk/kiosk.conf"
  # kioskd (the kiosk group) reads it; a real install gives it that group below.
  [ -n "$destdir" ] || chgrp_conf=1
fi

sed "s|/usr/local/bin/kioskd|$prefix/bin/kioskd|; s|/usr/local/share/kioskd|$share|" systemd/kioskd.service \
  > "$destdir/lib/systemd/system/kioskd.service"
install -m 0644 systemd/kiosk-screen.service "$destdir/lib/systemd/system/kiosk-screen.service"
# The service's user, made by systemd-sysusers (at boot, or below on a real install).
# kiosk-tech: the technicians, who may use kioskctl (the technician socket); kioskd joins it to
# give the socket that group (SupplementaryGroups= in the unit).
cat > "$destdir/usr/lib/sysusers.d/kiosk.conf" <<'USERS'
u kiosk - "Self-service kiosk controller" /var/lib/kiosk
g kiosk-tech -
USERS
# The CCID reader (USB interface class 0x0B, smart card) for the kiosk user: libusb opens it.
cat > "$destdir/etc/udev/rules.d/60-kiosk-ccid.rules" <<'RULE'
# Smart-card readers (CCID, interface class 0B) belong to the kiosk service's user.
SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", ENV{ID_USB_INTERFACES}=="*:0b0000:*", GROUP="kiosk", MODE="0660"
RULE

if [ -n "$destdir" ]; then
  echo "install-kiosk: installed into $destdir (no user, no CUPS queues, no systemctl in a staging root)"
  exit 0
fi
systemd-sysusers
[ -z "${chgrp_conf:-}" ] || chgrp kiosk /etc/kiosk/kiosk.conf
udevadm control --reload-rules && udevadm trigger --subsystem-match=usb || true
# The receipt queue kiosk.conf prints to, on the system's cupsd (a raw queue for the 80 mm
# ESC/POS printer; point it at the printer's URI: lpadmin -p kiosk_receipt -v usb://…).
if command -v lpadmin >/dev/null && ! lpstat -p kiosk_receipt >/dev/null 2>&1; then
  lpadmin -p kiosk_receipt -E -v "file:///dev/null" -m raw -D "Kiosk receipt printer (set its URI)" || true
fi
systemctl daemon-reload
echo "install-kiosk: installed. Set [kiosk] id in /etc/kiosk/kiosk.conf, the printer's URI (lpadmin -p kiosk_receipt -v …), then: systemctl enable --now kioskd kiosk-screen"
echo "install-kiosk: technicians use kioskctl as members of kiosk-tech: usermod -aG kiosk-tech NAME"
