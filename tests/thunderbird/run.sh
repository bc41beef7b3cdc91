#!/usr/bin/env bash
# The Thunderbird end-to-end test in one command: installs what is missing
# (Debian's thunderbird, a venv with marionette_driver), then runs e2e.py.
#
#   tests/thunderbird/run.sh [--addon PATH | --checker DIR] [-k NAME]
#
# Without arguments it tests $SENDGUARD_TB_ADDON, else dist/sendguard-thunderbird.xpi,
# else addin-thunderbird/ staged with $SENDGUARD_CHECKER (default dist/checker).
# It fails, never skips, when something cannot be installed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$root/target/thunderbird-e2e"
venv="$work/venv"
marionette_version="3.7.1"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  # Another apt or dpkg may hold the lock (other builds on this machine): wait for it.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y "$@" ||
    { as_root apt-get -o DPkg::Lock::Timeout=600 update && \
      as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y "$@"; }
}

if [ ! -x /usr/lib/thunderbird/thunderbird-bin ]; then
  echo "run.sh: installing thunderbird from apt" >&2
  apt_install thunderbird
fi
[ -x /usr/lib/thunderbird/thunderbird-bin ] || { echo "run.sh: thunderbird is not installed" >&2; exit 1; }

if ! "$venv/bin/python" -c "import marionette_driver" 2>/dev/null; then
  echo "run.sh: creating $venv with marionette_driver $marionette_version" >&2
  mkdir -p "$work"
  python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$venv"; }
  "$venv/bin/pip" install --quiet "marionette_driver==$marionette_version"
fi

args=("$@")
if [[ " $* " != *" --addon "* && " $* " != *" --checker "* ]]; then
  if [ -n "${SENDGUARD_TB_ADDON:-}" ]; then
    args+=(--addon "$SENDGUARD_TB_ADDON")
  elif [ -f "$root/dist/sendguard-thunderbird.xpi" ]; then
    args+=(--addon "$root/dist/sendguard-thunderbird.xpi")
  else
    args+=(--checker "${SENDGUARD_CHECKER:-$root/dist/checker}")
  fi
fi

# Relative paths in the arguments stay relative to where run.sh was called from.
exec "$venv/bin/python" -u "$root/tests/thunderbird/e2e.py" "${args[@]}"
