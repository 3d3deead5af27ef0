#!/usr/bin/env bash
# Installs nats-server >= 2.10 from Debian's packages when the machine lacks it.
# Debian bookworm ships 2.9.10, which is too old for async-nats's KV API, so the trixie
# suite is added as an apt source pinned low and only nats-server is taken from it.
set -euo pipefail

have_recent() {
  command -v nats-server >/dev/null 2>&1 || return 1
  local v
  v=$(nats-server --version 2>/dev/null | sed -n 's/.*v\([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
  [ -n "$v" ] || return 1
  set -- $v
  [ "$1" -gt 2 ] || { [ "$1" -eq 2 ] && [ "$2" -ge 10 ]; }
}

if have_recent; then
  echo "nats-server: $(nats-server --version)"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if ! grep -rqs "trixie" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "deb http://deb.debian.org/debian trixie main" | $SUDO tee /etc/apt/sources.list.d/trixie-nats.list >/dev/null
fi
cat <<'PIN' | $SUDO tee /etc/apt/preferences.d/trixie-low-pin >/dev/null
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -t trixie nats-server >/dev/null
have_recent || { echo "nats-server >= 2.10 could not be installed" >&2; exit 1; }
echo "nats-server: $(nats-server --version)"
