#!/usr/bin/env bash
# What the browser journeys need besides the Python packages: Debian's Chromium (never a
# browser downloaded by Playwright) and axe-core, pinned in e2e/package-lock.json.
# Run by `make e2e-deps`. Idempotent and silent when everything is already in place.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

CHROMIUM="${PV_CHROMIUM:-/usr/bin/chromium}"

fail() {
	echo "e2e/install.sh: $*" >&2
	exit 1
}

# --- Chromium ---------------------------------------------------------------------------
if [ ! -x "$CHROMIUM" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		fail "$CHROMIUM is missing. Install Debian's Chromium as root (apt-get install chromium)" \
			"or point PV_CHROMIUM at a Chromium binary, then run make again."
	fi
	command -v apt-get >/dev/null 2>&1 ||
		fail "$CHROMIUM is missing and apt-get is not available to install it."
	echo "e2e: installing Chromium with apt-get ..."
	log="$(mktemp)"
	if ! {
		DEBIAN_FRONTEND=noninteractive apt-get update -q &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium
	} >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		rm -f "$log"
		fail "could not install Chromium with apt-get (output above)."
	fi
	rm -f "$log"
	[ -x "$CHROMIUM" ] || fail "apt-get installed chromium, but $CHROMIUM is still missing."
fi

# --- axe-core ---------------------------------------------------------------------------
# node_modules is current when it was installed from these very package files.
AXE=node_modules/axe-core/axe.min.js
STAMP=node_modules/.pv-package-lock.sha256
want="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
if [ ! -f "$AXE" ] || [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$want" ]; then
	if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
		echo "e2e: installing npm (Debian package) ..."
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q npm >/dev/null 2>&1 ||
			{ apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q npm >/dev/null 2>&1; } ||
			true
	fi
	command -v npm >/dev/null 2>&1 ||
		fail "npm is needed to install axe-core (apt-get install npm, or install Node.js)."
	echo "e2e: installing axe-core from package-lock.json ..."
	log="$(mktemp)"
	if ! npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1; then
		cat "$log" >&2
		rm -f "$log"
		fail "npm ci failed (output above)."
	fi
	rm -f "$log"
	[ -f "$AXE" ] || fail "npm ci succeeded but $AXE is missing."
	echo "$want" >"$STAMP"
fi
