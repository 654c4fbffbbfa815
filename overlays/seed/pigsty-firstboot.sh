#!/bin/sh
# Pigsty's first boot from a cloud-init seed. `build seed` writes it to cloud-init's per-boot
# scripts, so it runs late in every boot (after the seed's hostname, network-config and inventory are
# in place) until the first boot is done; `build golden` runs it once with --prepare in the image's
# preparation VM. ${home} is the Pigsty home.
#   golden image (launcher installed, repo at /www/pigsty): nothing; pigsty-firstboot.service applies
#   stock image: mount the repo disk labelled pigsty-<os> (`build iso`) and run its firstboot.sh, which
#     verifies the bundle before anything else, installs the launcher from it, and the launcher copies
#     the repo to /www/pigsty and applies
set -u
say() { echo "pigsty: $*"; }
PREPARE=
[ "${1:-}" = --prepare ] && PREPARE=--prepare
if [ -z "$PREPARE" ]; then
  [ -e /var/lib/pigsty/firstboot.done ] && exit 0
  if command -v pigsty-launcher >/dev/null 2>&1 && [ -f /www/pigsty/repo_complete ]; then
    say "the launcher and /www/pigsty are in place: pigsty-firstboot.service applies ${home}/pigsty.yml"
    exit 0
  fi
fi
. /etc/os-release
case " $ID ${ID_LIKE:-} " in
  *" ubuntu "*) OS=u${VERSION_ID%%.*} ;;
  *" debian "*) OS=d${VERSION_ID%%.*} ;;
  *" rhel "* | *" centos "* | *" ol "*) OS=el${VERSION_ID%%.*} ;;
  *) say "FAILED: $PRETTY_NAME is not a Pigsty target"; exit 1 ;;
esac
LABEL=pigsty-$OS
DEV=/dev/disk/by-label/$LABEL
command -v udevadm >/dev/null 2>&1 && udevadm settle --timeout=30
N=0
while [ ! -e "$DEV" ] && [ $N -lt "${PIGSTY_REPO_DISK_WAIT:-30}" ]; do sleep 1; N=$((N + 1)); done
if [ ! -e "$DEV" ]; then
  say "FAILED: no /www/pigsty and no disk labelled $LABEL: attach the repo ISO (build iso --os $OS) and reboot"
  exit 1
fi
MNT=/run/pigsty/$LABEL
mkdir -p "$MNT"
if ! mountpoint -q "$MNT" && ! mount -o ro "$DEV" "$MNT"; then
  say "FAILED: cannot mount $DEV at $MNT"
  exit 1
fi
say "repo disk $LABEL mounted at $MNT"
sh "$MNT/pigsty/firstboot.sh" $PREPARE --inventory "${home}/pigsty.yml"
RC=$?
umount "$MNT" 2>/dev/null
if [ $RC -ne 0 ]; then
  say "FAILED: first boot from $LABEL exited with $RC (see above; journal /var/lib/pigsty/firstboot.json); the next boot retries"
  exit $RC
fi
if [ -n "$PREPARE" ]; then
  # what makes this VM a template: the unit applies on the next (first real) boot, cloud-init starts
  # over with the host's own seed, and every clone gets its own machine id and SSH host keys
  systemctl enable pigsty-firstboot.service || { say "FAILED: cannot enable pigsty-firstboot.service"; exit 1; }
  cloud-init clean --logs
  : > /etc/machine-id
  rm -f /var/lib/dbus/machine-id /etc/ssh/ssh_host_*
  say "golden image prepared"
fi
