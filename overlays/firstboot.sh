#!/bin/sh
# Pigsty first boot from an offline bundle: `tar -xf pigsty-pkg-*.tgz -C /www && sh /www/pigsty/firstboot.sh`
# (or from a mounted repo ISO: `sh /mnt/pigsty/firstboot.sh`, which copies the repo to /www/pigsty)
# Checks the bundle (its signature first, when this host trusts a key), wires its local repo,
# installs pigsty-launcher if this host has none, then hands over to it. All other logic lives in
# the launcher (Java); this stub stays POSIX sh.
set -eu
# --prepare (a golden image build): stop before the per-host steps, which its first boot does
COMMAND=apply
if [ "${1:-}" = "--prepare" ]; then COMMAND=prepare; shift; fi
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE"
TRUST=${PIGSTY_TRUST:-/etc/pigsty/trusted.asc}
if [ -f "$TRUST" ]; then
  if [ ! -f repo_complete.asc ]; then
    echo "firstboot: $HERE is not signed, and this host trusts only bundles signed by $TRUST: refusing this bundle" >&2
    exit 4
  fi
  KEYRING=$(mktemp)
  trap 'rm -f "$KEYRING"' EXIT
  # gpgv reads binary keys only: an armored key's base64 body lies between the blank line and the CRC line
  if grep -q '^-----BEGIN PGP PUBLIC KEY BLOCK-----' "$TRUST"; then
    sed -n '/^-----BEGIN PGP PUBLIC KEY BLOCK-----/,/^-----END PGP PUBLIC KEY BLOCK-----/p' "$TRUST" \
      | sed '1,/^[[:space:]]*$/d' | grep -v '^=' | grep -v '^-----' | base64 -d > "$KEYRING"
  else
    cat "$TRUST" > "$KEYRING"
  fi
  if ! gpgv --keyring "$KEYRING" repo_complete.asc repo_complete; then
    echo "firstboot: $HERE/repo_complete is not signed by the trusted key $TRUST: refusing this bundle" >&2
    exit 4
  fi
  set -- --trust "$TRUST" "$@"
else
  echo "firstboot: no trusted key at $TRUST, so the bundle's signature is not checked. To check it by hand:" >&2
  echo "  gpg --import <the publisher's key> && gpg --verify $HERE/repo_complete.asc $HERE/repo_complete" >&2
fi
if ! sha256sum --quiet --strict -c repo_complete; then
  echo "firstboot: $HERE does not match its repo_complete: refusing this bundle" >&2
  exit 4
fi
if ! command -v pigsty-launcher >/dev/null 2>&1; then
  # a signed bundle's index is checked by apt and dnf too, with the key it ships
  if [ -f keys/pigsty-bundle.asc ]; then CHECK="signed-by=$HERE/keys/pigsty-bundle.asc"; else CHECK="trusted=yes"; fi
  if [ -f /etc/debian_version ]; then
    mkdir -p /etc/apt/sources.list.d
    echo "deb [$CHECK] file:$HERE/ ./" > /etc/apt/sources.list.d/pigsty-local.list
    apt-get update -q -o Dir::Etc::SourceList=/etc/apt/sources.list.d/pigsty-local.list \
      -o Dir::Etc::SourceParts=/dev/null -o APT::Get::List-Cleanup=0
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      -o Dir::Etc::SourceList=/etc/apt/sources.list.d/pigsty-local.list -o Dir::Etc::SourceParts=/dev/null pigsty-launcher
  else
    mkdir -p /etc/yum.repos.d
    KEYS=""; PKGCHECK=0; GPG=""
    if [ -f keys/pigsty-bundle.asc ]; then KEYS="file://$HERE/keys/pigsty-bundle.asc"; GPG="repo_gpgcheck=1\n"; fi
    if [ -f keys/rpm-gpgkeys ]; then  # the builder verified every RPM's own signature with these keys
      PKGCHECK=1
      while read -r k; do
        case "$k" in
          "") continue ;;
          keys/*/*|*[!A-Za-z0-9._/-]*) echo "firstboot: keys/rpm-gpgkeys names '$k', no key file of the bundle" >&2; exit 4 ;;
          keys/*.asc) [ -f "$k" ] || { echo "firstboot: keys/rpm-gpgkeys names '$k', which is missing" >&2; exit 4; } ;;
          *) echo "firstboot: keys/rpm-gpgkeys names '$k', no key file of the bundle" >&2; exit 4 ;;
        esac
        case " $KEYS " in *" file://$HERE/$k "*) ;; *) KEYS="$KEYS file://$HERE/$k" ;; esac
      done < keys/rpm-gpgkeys
    fi
    KEYS="${KEYS# }"
    if [ -n "$KEYS" ]; then GPG="${GPG}gpgkey=$KEYS\n"; fi
    printf "[pigsty-local]\nname=Pigsty local repo\nbaseurl=file://%s/\nenabled=1\ngpgcheck=$PKGCHECK\n${GPG}module_hotfixes=1\n" "$HERE" \
      > /etc/yum.repos.d/pigsty-local.repo
    dnf install -y --disablerepo='*' --enablerepo=pigsty-local pigsty-launcher
  fi
fi
exec pigsty-launcher $COMMAND --bundle "$HERE" "$@"
