#!/usr/bin/env bash
# Runs every suite of vmsync (what `npm test` runs), keeps going after a failure, and
# ends with one plain line `N passed, N failed` that totals them all. Exit status is
# non-zero if anything failed. Checks without test counts (fmt, clippy, eslint, the
# release build) count as one test each.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never NO_COLOR=1 FORCE_COLOR=0

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
total_pass=0 total_fail=0 n=0
summary=()

record() { # name passed failed seconds
  total_pass=$((total_pass + $2)); total_fail=$((total_fail + $3))
  summary+=("$(printf '%-28s %5d passed %5d failed %5ss' "$1" "$2" "$3" "$4")")
}

# run NAME KIND COMMAND...; KIND says how to count: check, cargo, node, playwright.
run() {
  local name=$1 kind=$2; shift 2
  n=$((n + 1))
  local log="$logs/$n.log" start=$SECONDS rc pass=0 fail=0
  printf '\n=== %s: %s\n' "$name" "$*"
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  case $kind in
    check) if [ "$rc" = 0 ]; then pass=1; else fail=1; fi ;;
    cargo) # every libtest-style `test result:` line, doc-tests and empty binaries included
      read -r pass fail < <(awk '/^test result: / {
          for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
          END { print p + 0, f + 0 }' "$log") ;;
    node)
      pass=$(awk '/^# pass / { s += $3 } END { print s + 0 }' "$log")
      fail=$(awk '/^# fail / { s += $3 } END { print s + 0 }' "$log") ;;
    playwright)
      if [ -s "$logs/playwright.json" ]; then
        read -r pass fail < <(node -e '
          const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).stats ?? {};
          console.log((s.expected ?? 0) + (s.flaky ?? 0), s.unexpected ?? 0);' "$logs/playwright.json")
      fi ;;
  esac
  # A suite that failed without reporting a failing test (a build error, a crash) counts once.
  if [ "$rc" != 0 ] && [ "$fail" = 0 ]; then fail=1; fi
  record "$name" "$pass" "$fail" $((SECONDS - start))
}

if ! bash scripts/setup.sh; then
  record "setup" 0 1 0
  echo "setup failed: the suites below may fail for want of tools" >&2
fi

run "cargo fmt" check cargo fmt --all -- --check
run "clippy (host)" check cargo clippy --workspace --all-targets -- -D warnings
run "clippy (wasm32)" check cargo clippy --target wasm32-unknown-unknown -p vmsync --lib --test wasm -- -D warnings
run "cargo test (host)" cargo cargo test --workspace
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  run "wasm tests (node)" cargo cargo test --target wasm32-unknown-unknown -p vmsync --test wasm
run "release wasm build" check bash scripts/build.sh

mapfile -t unit < <(find www/src scripts -name '*.test.mjs' | sort)
run "node --test (www/src, scripts)" node node --test --test-reporter=tap "${unit[@]}"

run "eslint" check npm run -s lint
# The JSDoc types of www/src, checked (no emit): tsconfig.json.
run "tsc --checkJs" check npx --no-install tsc -p tsconfig.json

# Two free ports in a row for the test servers (the second is the other origin of the
# embedding test), so that two checkouts can test side by side.
VMSYNC_TEST_PORT=$(node -e 'const net = require("net");
  const free = (p) => new Promise((ok) => { const s = net.createServer();
    s.once("error", () => ok(false)); s.listen(p, "127.0.0.1", () => s.close(() => ok(true))); });
  (async () => { for (let i = 0; i < 50; i++) {
    const p = 20000 + Math.floor(Math.random() * 40000);
    if ((await free(p)) && (await free(p + 1))) { console.log(p); return; } }
    process.exit(1); })();' 2>/dev/null || echo 8097)
export VMSYNC_TEST_PORT
PLAYWRIGHT_JSON_OUTPUT_NAME="$logs/playwright.json" \
  run "playwright (chromium)" playwright npx --no-install playwright test --reporter=line,json

printf '\n=== summary\n'
printf '%s\n' "${summary[@]}"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
