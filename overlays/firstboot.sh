#!/bin/sh
# Pigsty first boot from an offline bundle: `tar -xf pigsty-pkg-*.tgz -C /www && sh /www/pigsty/firstboot.sh`
# Checks the bundle, wires its local repo, installs pigsty-launcher if this host has none, then hands
# over to it. All other logic lives in the launcher (Java); this stub stays POSIX sh.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE"
if ! sha256sum --quiet --strict -c repo_complete; then
  echo "firstboot: $HERE does not match its repo_complete: refusing this bundle" >&2
  exit 4
fi
if ! command -v pigsty-launcher >/dev/null 2>&1; then
  if [ -f /etc/debian_version ]; then
    mkdir -p /etc/apt/sources.list.d
    echo "deb [trusted=yes] file:$HERE/ ./" > /etc/apt/sources.list.d/pigsty-local.list
    apt-get update -q -o Dir::Etc::SourceList=/etc/apt/sources.list.d/pigsty-local.list \
      -o Dir::Etc::SourceParts=/dev/null -o APT::Get::List-Cleanup=0
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      -o Dir::Etc::SourceList=/etc/apt/sources.list.d/pigsty-local.list -o Dir::Etc::SourceParts=/dev/null pigsty-launcher
  else
    mkdir -p /etc/yum.repos.d
    printf '[pigsty-local]\nname=Pigsty local repo\nbaseurl=file://%s/\nenabled=1\ngpgcheck=0\nmodule_hotfixes=1\n' "$HERE" \
      > /etc/yum.repos.d/pigsty-local.repo
    dnf install -y --disablerepo='*' --enablerepo=pigsty-local pigsty-launcher
  fi
fi
exec pigsty-launcher apply --bundle "$HERE" "$@"
