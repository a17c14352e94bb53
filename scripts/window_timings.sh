#!/usr/bin/env bash
# How quick the window is, in a release build under Xvfb with Mesa's software renderer (no
# graphics card): from launch to the first frame, a frame's drawing time (what a click waits for
# before its effect shows), and from "Play turn" to the frame showing the turn.
#
#   scripts/window_timings.sh [RUNS]     # RUNS launches (default 5); prints each, then medians
#
# The window plays the default scenario by itself (`--autoplay 8`: the intent a click on "Play
# turn" puts in its queue, one a second), measures from inside (DEMARCHE_TIMINGS=1,
# src/ui/timings.rs) and closes itself after the last turn. Build first: cargo build --release.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
bin="${CARGO_TARGET_DIR:-target}/release/demarche"
[ -x "$bin" ] || { echo "no release build at $bin: run cargo build --release" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for i in $(seq "$runs"); do
    DEMARCHE_TIMINGS=1 DEMARCHE_RUNS="$out/runs" timeout 120 xvfb-run -a -s "-screen 0 1366x768x24" \
        "$bin" play default --seed "$i" --autoplay 8 --window-size 1366x768 2>"$out/err" >/dev/null || true
    grep '^timings:' "$out/err" || { echo "run $i: nothing measured" >&2; tail -5 "$out/err" >&2; }
done | tee "$out/all"
python3 - "$out/all" "$runs" <<'PY'
import re, statistics, sys
first, frame, turn = [], [], []
for line in open(sys.argv[1]):
    m = re.search(r"first frame (\d+) ms.*?median ([\d.]+) ms over \d+; a turn median (\d+) ms", line)
    if m:
        first.append(float(m.group(1))); frame.append(float(m.group(2))); turn.append(float(m.group(3)))
print(f"medians over {len(first)} of {sys.argv[2]} launches:")
if first:
    print(f"  first frame {statistics.median(first):.0f} ms after launch")
    print(f"  a frame (what a click waits for) {statistics.median(frame):.1f} ms")
    print(f"  a turn {statistics.median(turn):.0f} ms")
PY
