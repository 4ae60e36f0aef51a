#!/usr/bin/env bash
# Installs what building and testing vmsync needs, and quickly skips what is present:
# rustfmt and clippy, the wasm32 Rust target, the wasm-bindgen CLI at exactly the version
# in Cargo.lock, Debian's Chromium (for the browser tests; not with --no-browser, which
# `npm start` passes) and the npm dev dependencies.
# Safe to run again: a second run takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }

export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v cargo >/dev/null 2>&1; then
  say "cargo is not installed; install Rust with rustup first (https://rustup.rs)" >&2
  exit 1
fi

browser=1
if [ "${1:-}" = --no-browser ]; then browser=0; fi

# 1. rustfmt and clippy (`npm test` runs both; a minimal rustup profile lacks them), and
# the wasm32 target of the Rust toolchain.
for c in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$c"; then
    say "adding the $c component"
    rustup component add "$c"
  fi
done
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "wasm32-unknown-unknown target present"
else
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen CLI: its version must equal the wasm-bindgen crate's in Cargo.lock.
want=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$want" ]; then
  say "no wasm-bindgen in Cargo.lock" >&2
  exit 1
fi
have=$( (wasm-bindgen --version 2>/dev/null || true) | awk '{ print $2 }')
if [ "$have" = "$want" ] && command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
  say "wasm-bindgen-cli $want present"
else
  say "installing wasm-bindgen-cli $want (several minutes on 2 cores)"
  cargo install wasm-bindgen-cli --version "=$want" --locked --force \
    || cargo install wasm-bindgen-cli --version "=$want" --force
fi

# 3. Chromium for the browser tests (never a downloaded browser build).
if [ "$browser" = 0 ]; then
  say "chromium not needed (--no-browser)"
elif [ -x /usr/bin/chromium ]; then
  say "chromium present"
else
  say "installing Debian's chromium"
  sudo_cmd=""
  if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y chromium
fi

# 4. npm dev dependencies, when package.json or the lock file changed since the last install.
stamp=node_modules/.vmsync-setup
sum=$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
  say "node_modules up to date"
else
  if [ -f package-lock.json ]; then
    say "npm ci"
    npm ci --no-audit --no-fund
  else
    say "npm install (no package-lock.json)"
    npm install --no-audit --no-fund
  fi
  sum=$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)
  echo "$sum" > "$stamp"
fi
