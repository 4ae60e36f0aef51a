#!/usr/bin/env bash
# Builds the engine for the browser: release wasm, the wasm-bindgen ES-module glue in
# www/pkg/, and a size-optimised wasm (npm binaryen's wasm-opt; never Debian's).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# Panic messages carry source paths; the served wasm names crates and the project, not
# the folders of the machine that built it.
cargo_home=${CARGO_HOME:-$HOME/.cargo}
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--remap-path-prefix=$cargo_home/registry/src=crates --remap-path-prefix=$PWD=vmsync"
cargo build --release --target wasm32-unknown-unknown -p vmsync --lib
wasm-bindgen --target web --out-dir www/pkg \
  "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/vmsync.wasm"

wasm=www/pkg/vmsync_bg.wasm
if [ -x node_modules/.bin/wasm-opt ]; then
  # --converge repeats -Oz while it still shrinks the module; the producers and
  # target-features sections are metadata no browser reads. --low-memory-unused lets it
  # fold a constant added to a pointer into the load's offset: true for Rust, whose data
  # starts at 1 MiB above a stack that would reach the first 1 KiB only by overflowing
  # (2.3 kB raw, 0.3 kB gzip; docs/wasm-size.md).
  node_modules/.bin/wasm-opt -Oz --converge --low-memory-unused --strip-producers --strip-target-features \
    --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$wasm" -o "$wasm.opt"
  mv "$wasm.opt" "$wasm"
else
  echo "build: node_modules/.bin/wasm-opt missing (run scripts/setup.sh); wasm left unoptimised" >&2
fi
printf 'build: %s (%s bytes)\n' "$wasm" "$(wc -c < "$wasm")"

# The page's modules bundled and minified by esbuild, with source maps, into www/dist/,
# which index.html and embed.html load; www/src stays plain ES modules that run unbuilt
# (scripts/bundle.mjs).
node scripts/bundle.mjs
