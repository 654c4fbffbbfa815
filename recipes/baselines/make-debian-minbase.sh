#!/bin/sh
# Makes recipes/baselines/<os>-minbase.<arch>.status: the dpkg status of a fresh
# `debootstrap --variant=minbase` root (what a minimal Debian host has installed), with only the
# fields a resolver reads. Run as root on a Debian host that can reach a mirror:
#   recipes/baselines/make-debian-minbase.sh d13 trixie [MIRROR_URL]
# MIRROR_URL defaults to the first URI of the host's own apt sources.
set -eu
os=$1 suite=$2
mirror=${3:-$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)}
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list)
arch=$(dpkg --print-architecture)
out=$(cd "$(dirname "$0")" && pwd)/$os-minbase.$arch.status
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase "$suite" "$root" "$mirror" >&2
awk '
  BEGIN { keep["Package"]; keep["Status"]; keep["Priority"]; keep["Essential"]; keep["Architecture"];
          keep["Multi-Arch"]; keep["Source"]; keep["Version"]; keep["Replaces"]; keep["Provides"];
          keep["Depends"]; keep["Pre-Depends"]; keep["Breaks"]; keep["Conflicts"] }
  /^$/ { print; next }
  /^[ \t]/ { if (on) print; next }
  { f = substr($0, 1, index($0, ":") - 1); on = (f in keep); if (on) print }
' "$root/var/lib/dpkg/status" > "$out.tmp"
mv "$out.tmp" "$out"
echo "$out: $(grep -c '^Package:' "$out") packages" >&2
