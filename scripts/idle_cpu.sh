#!/usr/bin/env bash
# Measures the processor time an idle exercise window uses, under Xvfb with Mesa's software
# renderer (no graphics card), as the README quotes it.
#
#   scripts/idle_cpu.sh [SECONDS]      (default 60; needs xvfb, xdotool, mesa-vulkan-drivers)
#
# It opens the board of the default scenario with the High Representative's seat held, plays two
# turns with the keyboard, leaves the mouse over the window, then reads the process's CPU time
# from /proc before and after SECONDS of idleness.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_IDLE="${1:-60}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/demarche-target}"
cargo build --quiet
BIN="$CARGO_TARGET_DIR/debug/demarche"
RUNS="$(mktemp -d)"
DISPLAY_NUM=":$((100 + RANDOM % 100))"
Xvfb "$DISPLAY_NUM" -screen 0 1280x800x24 >/dev/null 2>&1 &
XVFB=$!
trap 'kill "$APP" "$XVFB" 2>/dev/null || true; rm -rf "$RUNS"' EXIT
sleep 1
export DISPLAY="$DISPLAY_NUM"
DEMARCHE_RUNS="$RUNS" "$BIN" play --seat hrvp >/dev/null 2>&1 &
APP=$!
sleep 4
WINDOW="$(xdotool search --sync --name "Shattered Ledger" | head -1)"
xdotool windowfocus --sync "$WINDOW"
for _ in 1 2 3; do xdotool key Return; sleep 1; done
xdotool mousemove 640 300
sleep 3
TICK="$(getconf CLK_TCK)"
before="$(awk '{print $14 + $15}' "/proc/$APP/stat")"
sleep "$SECONDS_IDLE"
after="$(awk '{print $14 + $15}' "/proc/$APP/stat")"
awk -v t="$((after - before))" -v hz="$TICK" -v s="$SECONDS_IDLE" \
    'BEGIN { printf "idle board: %.2f s of processor time in %d s = %.2f%% of one core\n", t / hz, s, 100 * t / hz / s }'
