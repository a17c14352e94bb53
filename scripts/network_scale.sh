#!/usr/bin/env bash
# The networked exercise at full table on one machine: a headless host with the 27 Member States,
# the High Representative, the Presidency and the Commission, plus observers, and one headless
# desk per seat on the loopback. Prints, per turn, the time from the last "ready" (when the host
# plays the turn) to the last desk showing it, and the bytes the host sent each desk per turn.
#
#   scripts/network_scale.sh [BINARY] [OBSERVERS]     (default: the debug build, 3 observers)
set -euo pipefail
BIN="${1:-${CARGO_TARGET_DIR:-$HOME/.cache/demarche-target}/debug/demarche}"
OBSERVERS="${2:-3}"
DIR="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$DIR"' EXIT
cd "$DIR"
STATES="AT BE BG HR CY CZ DK EE FI FR DE EL HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
SEATS="hrvp presidency commission $STATES"
args=()
for s in $SEATS; do args+=(--seat "$s"); done
DEMARCHE_NET_TIMINGS=1 "$BIN" host --headless "${args[@]}" --observers "$OBSERVERS" --port 0 \
    --address 127.0.0.1 --record run.replay.ron --codes codes --turn-when-ready </dev/null >host.out 2>host.err &
for _ in $(seq 100); do [ -f codes/SE.code ] && break; sleep 0.1; done
for code in codes/*.code; do
    name="$(basename "$code" .code)"
    DEMARCHE_NET_TIMINGS=1 "$BIN" join "$code" --headless >"desk-$name.out" 2>&1 &
done
wait
echo "seats: $(echo $SEATS | wc -w), observers: $OBSERVERS, desks: $(ls codes | wc -l)"
# turn -> when the host played it; turn -> when the last desk showed it.
awk '/^timing: turn [0-9]+ played/ { print $3, $(NF-1) }' host.out | sort -n >played.txt
cat desk-*.out | awk '/^timing: turn [0-9]+ shown/ { if ($6 > last[$3]) last[$3] = $6 } END { for (t in last) print t, last[t] }' | sort -n >shown.txt
join played.txt shown.txt | awk '{ d = $3 - $2; print "turn " $1 ": last desk showed it " d " ms after the last ready"; print d >"lat.txt" }'
sort -n lat.txt | awk '{ a[NR] = $1 } END { print "median " a[int((NR + 1) / 2)] " ms, max " a[NR] " ms over " NR " turns" }'
grep '^timing: .* bytes a turn' host.out | sed 's/.*(\([0-9]*\) bytes a turn)/\1/' | sort -n |
    awk '{ a[NR] = $1 } END { print "bytes sent per desk per turn: median " a[int((NR + 1) / 2)] ", max " a[NR] " (" NR " desks)" }'
grep -c "checksum" desk-EE.out | xargs echo "turns seen by Estonia's desk:"
