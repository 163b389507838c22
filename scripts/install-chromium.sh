#!/usr/bin/env bash
# Ensure a Chromium usable headless (browser tests, screenshots) is installed from Debian.
# Idempotent: a no-op when /usr/bin/chromium exists. Progress on stderr; stdout carries exactly
# one line, the executable path:
#
#   export AGENTMEM_CHROMIUM_PATH="$(bash scripts/install-chromium.sh)"
#
# Runs as root, or as a user with sudo. As root, launch it with --no-sandbox.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
# fonts-liberation: metric-compatible Arial/Times/Courier so screenshots render real text.
PACKAGES=(chromium fonts-liberation)

log() { printf '[install-chromium] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root (or sudo) to run: $*"
  fi
}

if [ ! -x "$CHROMIUM" ]; then
  export DEBIAN_FRONTEND=noninteractive
  APT_OPTS=(-q -y -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300)
  log "installing ${PACKAGES[*]}"
  # Refresh the package lists only when the install cannot proceed with the current ones.
  if ! as_root apt-get "${APT_OPTS[@]}" install --no-install-recommends "${PACKAGES[@]}" >/dev/null 2>&1; then
    log "install failed with the current package lists; running apt-get update and retrying"
    as_root apt-get "${APT_OPTS[@]}" update >/dev/null
    as_root apt-get "${APT_OPTS[@]}" install --no-install-recommends "${PACKAGES[@]}" >/dev/null
  fi
  [ -x "$CHROMIUM" ] || die "$CHROMIUM missing after install"
  log "installed: $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
fi

printf '%s\n' "$CHROMIUM"
