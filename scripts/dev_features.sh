#!/usr/bin/env bash
# Checks that `cargo test` builds the same bevy as `cargo build`: every crate that the normal
# build compiles must get exactly the same features when the dev-dependencies (tests, benches,
# fuzzing) are added. A dev-dependency that switches on a feature of a shared crate (as proptest
# once did with rand 0.10's `sys_rng`, which bevy_math uses) makes cargo compile that crate and
# everything above it, bevy and egui included, a second time for the tests.
#
#   scripts/dev_features.sh            both configurations: default features, and --no-default-features
#
# Exit status 0 when they agree, 1 with the crates that differ, 2 when cargo tree cannot run.
set -euo pipefail
cd "$(dirname "$0")/.."

# One line per crate (name and version), with the union of the features it is built with.
features() {
    cargo tree "$@" --prefix none --format '{p}|{f}' 2>/dev/null |
        sed -e 's/ (\*)$//' -e 's/ (proc-macro)//' -e 's/ ([^)]*)|/|/' |
        awk -F'|' '
            { split($2, f, ","); for (i in f) if (f[i] != "") set[$1] = set[$1] "," f[i]; seen[$1] = 1 }
            END {
                for (p in seen) {
                    n = split(set[p], f, ","); delete u; out = ""
                    for (i = 1; i <= n; i++) if (f[i] != "" && !(f[i] in u)) u[f[i]] = 1
                    m = 0; for (k in u) keys[++m] = k
                    # insertion sort, so the line does not depend on awk hash order
                    for (i = 2; i <= m; i++) { k = keys[i]; j = i - 1; while (j > 0 && keys[j] > k) { keys[j + 1] = keys[j]; j-- } keys[j + 1] = k }
                    for (i = 1; i <= m; i++) out = out (i > 1 ? "," : "") keys[i]
                    print p " [" out "]"
                }
            }' | sort
}

status=0
for config in "" "--no-default-features"; do
    label="${config:-default features}"
    normal="$(features -e normal,build $config)" || { echo "cargo tree failed ($label)" >&2; exit 2; }
    with_dev="$(features -e normal,build,dev $config)" || { echo "cargo tree failed ($label)" >&2; exit 2; }
    [ -n "$normal" ] || { echo "cargo tree printed nothing ($label)" >&2; exit 2; }
    # Crates of the normal build whose line (features) is not the same with the dev-dependencies.
    differ="$(comm -23 <(echo "$normal") <(echo "$with_dev"))"
    if [ -n "$differ" ]; then
        status=1
        echo "$label: the dev-dependencies change the features of crates the normal build shares:"
        while IFS= read -r line; do
            crate="${line%% \[*}"
            echo "  $crate"
            echo "    cargo build: [${line#* \[}"
            echo "    cargo test:  [$(echo "$with_dev" | grep -F "$crate [" | sed 's/^[^[]*\[//')"
        done <<<"$differ"
    else
        shared="$(comm -12 <(echo "$normal") <(echo "$with_dev") | wc -l)"
        echo "$label: the $shared crates of the normal build get the same features in cargo test"
    fi
done
if [ "$status" != 0 ]; then
    echo "Give the normal build the same features (see rand_for_bevy in Cargo.toml) or choose other dev-dependency features."
fi
exit "$status"
