#!/usr/bin/env bash
# Counts the instructions one batch run costs, as the README quotes them: unlike time, the count
# does not move with the load of a shared machine, so two versions of the engine compare exactly.
#
#   scripts/instructions.sh [BINARY] [SCENARIO]    (default: a headless release build, `default`;
#                                                   needs valgrind)
#
# It plays 300 and then 600 seeds of the proportional policy on one thread under callgrind and
# divides the difference by 300: what starting the program and building the world cost cancels
# out. Build the binary first, e.g. `cargo build --release --no-default-features`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-${CARGO_TARGET_DIR:-$HOME/.cache/demarche-target}/release/demarche}"
SCENARIO="${2:-default}"
if ! command -v valgrind >/dev/null; then
    echo "instructions.sh: valgrind is not installed (apt install valgrind)" >&2
    exit 2
fi
if [ ! -x "$BIN" ]; then
    echo "instructions.sh: no program at $BIN (cargo build --release --no-default-features)" >&2
    exit 2
fi
count() {
    RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        "$BIN" batch "$SCENARIO" --seeds "$1" --policy proportional 2>&1 >/dev/null |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
short="$(count 300)"
long="$(count 600)"
echo "$(( (long - short) / 300 )) instructions per run ($SCENARIO, proportional policy, $BIN)"
